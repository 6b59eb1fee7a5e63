import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalibrationProfileFile } from '@oicf/kernels';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../testing/capture-io.js';

const root = mkdtempSync(join(tmpdir(), 'oicf-this-machine-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Hand-chosen figures: 400 GFLOP/s fp32 over 50 GB/s → ridge 400e9 / 50e9 = 8 FLOP/B. */
const MEASURED_AT = '2026-02-03T04:05:06.000Z';
const stream = { kernel: 'fixture', bytes: 1, runsSeconds: [1], medianSeconds: 1, bytesPerSecond: 50e9 };
const CALIBRATION: CalibrationProfileFile = {
  kind: 'oicf-calibration',
  version: 1,
  peakFlopsPerSecond: { fp32: 400e9 },
  memoryBandwidthBytesPerSecond: 50e9,
  memoryCapacityBytes: 16 * 2 ** 30,
  source: 'hand-written test fixture',
  details: {
    measuredAt: MEASURED_AT,
    cpuModel: 'fixture',
    numCpus: 2,
    intraOpNumThreads: 2,
    numRuns: 1,
    quick: true,
    onnxruntimeVersion: '1',
    gemm: [],
    stream,
    jsRead: stream,
    sessionRunSeconds: 1e-5,
  },
};

/** A fresh working directory, optionally with files (path → text). */
function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(root, 'cwd-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function analyze(cwd: string, argv: string[]) {
  const io = captureIo(cwd);
  const code = await main(['analyze', ...argv, '--no-files'], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const point = ['--model', 'llama-3-8b', '--precision', 'fp32'];
const calibrationText = JSON.stringify(CALIBRATION);

describe('oicf analyze --device this-machine', () => {
  it('uses --calibration <file>: ridge 8 FLOP/B, labelled calibrated with file and date', async () => {
    const cwd = workdir({ 'cal/mine.json': calibrationText });
    const r = await analyze(cwd, [...point, '--device', 'this-machine', '--calibration', 'cal/mine.json', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.ridgeFlopsPerByte).toBe(8);
    expect(json.peakFlopsPerSecond).toBe(400e9);
    expect(json.memoryBandwidthBytesPerSecond).toBe(50e9);
    expect(json.device.displayName).toBe('This machine (calibrated)');
    expect(json.device.figuresFrom).toEqual({
      kind: 'calibration',
      file: 'cal/mine.json',
      measuredAt: MEASURED_AT,
      quick: true,
    });
  });

  it('uses .oicf/calibration.json by default and says so in the text report', async () => {
    const cwd = workdir({ '.oicf/calibration.json': calibrationText });
    const r = await analyze(cwd, [...point, '--device', 'this-machine']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `this-machine: calibrated from ${join('.oicf', 'calibration.json')} at ${MEASURED_AT} (quick calibration)`,
    );
    expect(r.stdout).toMatch(/ridge \(peak ÷ bandwidth\)\s+8 FLOP\/byte/);
  });

  it('falls back to the static DESIGN.md figures without a calibration, and labels them so', async () => {
    const r = await analyze(workdir(), [...point, '--device', 'this-machine', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    // DESIGN.md §7: 350 GFLOP/s fp32 / 25 GB/s = 14 FLOP/B.
    expect(json.ridgeFlopsPerByte).toBe(14);
    expect(json.device.displayName).toMatch(/static.*not calibrated/);
    expect(json.device.figuresFrom.kind).toBe('static');
    const text = await analyze(workdir(), [...point, '--device', 'this-machine']);
    expect(text.stdout).toContain('this-machine: static defaults (DESIGN.md §7 figures; no calibration at');
  });

  it('--device-file accepts a calibration profile (detected by its kind)', async () => {
    const cwd = workdir({ 'saved.json': calibrationText });
    const r = await analyze(cwd, [...point, '--device-file', 'saved.json', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.ridgeFlopsPerByte).toBe(8);
    expect(json.device.id).toBe('this-machine');
    expect(json.device.figuresFrom.file).toBe('saved.json');
  });

  it.each([
    [
      'a calibration with a bad field',
      { 'bad.json': JSON.stringify({ ...CALIBRATION, memoryBandwidthBytesPerSecond: -1 }) },
      ['--device', 'this-machine', '--calibration', 'bad.json'],
      /^oicf analyze: --calibration: bad\.json: invalid calibration profile \(memoryBandwidthBytesPerSecond: .*\); write a new one with 'oicf roofline --quick --recalibrate'$/m,
    ],
    [
      'a calibration that is not JSON',
      { 'bad.json': '{ nope' },
      ['--device', 'this-machine', '--calibration', 'bad.json'],
      /^oicf analyze: --calibration: bad\.json: not JSON/m,
    ],
    [
      'a missing --calibration file',
      {},
      ['--device', 'this-machine', '--calibration', 'missing.json'],
      /^oicf analyze: --calibration: cannot read 'missing\.json' \(ENOENT\)$/m,
    ],
    [
      'a bad default calibration',
      { '.oicf/calibration.json': '[]' },
      ['--device', 'this-machine'],
      /^oicf analyze: calibration: .*calibration\.json: invalid calibration profile/m,
    ],
    [
      '--calibration without this-machine',
      { 'c.json': calibrationText },
      ['--device', 'h100', '--calibration', 'c.json'],
      /--calibration applies to --device this-machine/,
    ],
    [
      'a calibration-kind device file with a bad field',
      { 'c.json': JSON.stringify({ ...CALIBRATION, version: 2 }) },
      ['--device-file', 'c.json'],
      /^oicf analyze: --device-file: c\.json: invalid calibration profile \(version: /m,
    ],
  ])('%s: exit 2, one clear line, no stack', async (_name, files, argv, message) => {
    const r = await analyze(workdir(files), [...point, ...argv]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
