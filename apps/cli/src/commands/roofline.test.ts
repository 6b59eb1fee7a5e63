import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CalibrationProfileFile, saveCalibration } from '@oicf/kernels';
import { afterAll, describe, expect, it } from 'vitest';
import { type CommandIo, UsageError } from '../command.js';
import { rooflineCommand } from './roofline.js';
import { checkPositions } from './roofline-positions.js';

const dir = mkdtempSync(join(tmpdir(), 'oicf-roofline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A saved calibration, so the test measures kernels but not the machine. */
const CALIBRATION: CalibrationProfileFile = {
  kind: 'oicf-calibration',
  version: 1,
  peakFlopsPerSecond: { fp32: 300e9, int8: 1200e9 },
  memoryBandwidthBytesPerSecond: 25e9,
  memoryCapacityBytes: 24 * 2 ** 30,
  source: 'test fixture',
  details: {
    measuredAt: '2026-01-01T00:00:00.000Z',
    cpuModel: 'fixture',
    numCpus: 2,
    intraOpNumThreads: 2,
    numRuns: 1,
    onnxruntimeVersion: '1.30.0',
    gemm: [],
    stream: { kernel: 'fixture', bytes: 1, runsSeconds: [1], medianSeconds: 1, bytesPerSecond: 25e9 },
    jsRead: { kernel: 'fixture', bytes: 1, runsSeconds: [1], medianSeconds: 1, bytesPerSecond: 8e9 },
    sessionRunSeconds: 1e-5,
  },
};

function io(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    isTty: false,
    cwd: dir,
    signal: new AbortController().signal,
  };
}

describe('oicf roofline', () => {
  it('measures the sweep, writes SVG/HTML/JSON and prints every point as JSON', async () => {
    const calPath = join(dir, 'cal.json');
    saveCalibration(calPath, CALIBRATION);
    const o = io();
    const argv = [
      '--size',
      'micro',
      '--variants',
      'gqa,mla',
      '--precisions',
      'fp32,int8',
      '--prefill',
      '8',
      '--contexts',
      '16',
      '--batches',
      '2',
    ];
    const code = await rooflineCommand.run(
      [...argv, '--runs', '1', '--calibration', calPath, '--out', 'rl', '--json'],
      o,
    );
    expect(code).toBe(0);
    // 2 variants × 2 precisions × (1 prefill + 1 decode point), progress one line each.
    expect(o.err.filter((l) => l.startsWith('[')).length).toBe(8);
    expect(o.err[0]).toMatch(/using calibration .*cal.json/);
    const result = JSON.parse(o.out.join('')) as {
      calibration: CalibrationProfileFile;
      points: Record<string, unknown>[];
    };
    expect(result.calibration.peakFlopsPerSecond.fp32).toBe(300e9);
    expect(result.points.length).toBe(8);
    for (const p of result.points) {
      for (const k of ['flops', 'bytes', 'seconds', 'predictedSeconds']) expect(p[k]).toBeGreaterThan(0);
    }
    const decode = result.points.find((p) => p.phase === 'decode' && p.modelId === 'micro-gqa');
    expect(decode?.contextTokens).toEqual([16, 16]);
    const svg = readFileSync(join(dir, 'rl', 'roofline.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('this machine int8');
    expect(readFileSync(join(dir, 'rl', 'roofline.html'), 'utf8')).toContain(
      'Measured kernels on the calibrated roofline',
    );
    expect(JSON.parse(readFileSync(join(dir, 'rl', 'roofline.json'), 'utf8')).points.length).toBe(8);
  });

  it('prints a table without --json and writes nothing with --no-files', async () => {
    const calPath = join(dir, 'cal2.json');
    saveCalibration(calPath, CALIBRATION);
    const o = io();
    await rooflineCommand.run(
      [
        '--size',
        'micro',
        '--variants',
        'mqa',
        '--precisions',
        'fp32',
        '--prefill',
        '4',
        '--contexts',
        '8',
        '--batches',
        '1',
        '--runs',
        '1',
        '--calibration',
        calPath,
        '--out',
        'none',
        '--no-files',
      ],
      o,
    );
    expect(o.out.join('')).toMatch(/micro-mqa fp32\s+prefill 4/);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it.each([
    [['--variants', 'mha,xyz'], /--variants: unknown xyz; valid: mha, gqa, mqa, mla, moe/],
    [['--contexts', '10,abc'], /--contexts: '10,abc' must be comma-separated integers/],
    [['--size', 'huge'], /--size must be tiny or micro/],
    [['--bogus'], /Unknown option '--bogus'/],
    // A prefill of 0 tokens has no tokens to run.
    [['--prefill', '0'], /--prefill: '0' must be comma-separated integers ≥ 1/],
    // The sweep's models have 65,536 positions (sweep-plan.ts): a prompt fills at most all of them,
    // a decode context at most 65,535 (the new token takes position 65,535).
    [['--prefill', '128,70000'], /--prefill 70000: above the tiny models' 65,536 positions/],
    [
      ['--contexts', '70000'],
      /--contexts 70000: the tiny models have 65,536 positions, so a decode context is at most 65,535/,
    ],
    [['--contexts', '1024,65536', '--size', 'micro'], /--contexts 65536: the micro models have 65,536 positions/],
  ])('rejects %j', async (argv, message) => {
    await expect(rooflineCommand.run(argv, io())).rejects.toThrow(UsageError);
    await expect(rooflineCommand.run(argv, io())).rejects.toThrow(message);
  });
});

describe('checkPositions', () => {
  const spec = { size: 'tiny', variants: ['gqa', 'mla'], precisions: ['fp32'], decodeBatches: [1] } as const;
  it('accepts the limits themselves: a 65,536-token prompt, a 65,535-token context', () => {
    expect(() => checkPositions({ ...spec, prefillTokens: [65_536], decodeContexts: [65_535] })).not.toThrow();
  });
  it.each([
    [[65_537], [1]],
    [[1], [65_536]],
  ])('rejects prefill %j / contexts %j with a UsageError', (prefillTokens, decodeContexts) => {
    expect(() => checkPositions({ ...spec, prefillTokens, decodeContexts })).toThrow(UsageError);
  });
});
