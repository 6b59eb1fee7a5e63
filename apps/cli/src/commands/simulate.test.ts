// `oicf simulate`: the report files, the seed, --vs a real run, and its usage errors. The twin itself is
// tested in packages/sim and test/integration/twin-decisions.test.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveHostCostFile, ZERO_HOST_COST } from '@oicf/sim';
import { fixturesDir } from '@oicf/traces/node';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { outputFolders } from '../replay/testing/command-harness.js';
import { captureIo } from '../testing/capture-io.js';
import { createSimulateCommand } from './simulate.js';

const folders = outputFolders('oicf-simulate-test-');
afterAll(folders.cleanup);
const trace = join(fixturesDir(), 'mooncake-small.jsonl');
// Under --emulate the oicf model prices steps; no calibrated model is needed (tests inject none), and no
// host-cost model (a checkout's own .oicf/host-cost.json is not read).
const noCalibrated = async () => 'no calibrated model in this test';
const command = createSimulateCommand({ calibrated: noCalibrated, hostCost: () => undefined });
const emulated = ['--trace', trace, '--emulate', 'llama-3.1-70b@h100', '--token-scale', '0.5'];

describe('oicf simulate', () => {
  it('writes the replay report and sim.json; the same seed writes the same replay.json', async () => {
    // Twice into one folder (the command line, --out included, is part of the report).
    const a = folders.next();
    const texts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const io = captureIo(process.cwd());
      expect(await command.run([...emulated, '--seed', '7', '--out', a], io)).toBe(0);
      expect(io.out()).toMatch(/sim oicf-cost llama-3.1-70b@h100 \(oicf, seed 7\): 6\/6 ok/);
      expect(io.out()).toMatch(/simulated s per wall s/);
      texts.push(readFileSync(join(a, 'replay.json'), 'utf8'));
    }
    const json = texts[0] as string;
    expect(json).toBe(texts[1]);
    const report = JSON.parse(json);
    expect(report.meta).toMatchObject({ targetKind: 'sim', startedAtIso: '1970-01-01T00:00:00.000Z' });
    expect(report.meta.options).toMatchObject({ seed: 7, stepModel: 'oicf', stepModels: ['llama-3.1-70b@h100'] });
    expect(report.requests).toHaveLength(6);
    const stats = JSON.parse(readFileSync(join(a, 'sim.json'), 'utf8'));
    expect(stats.stats.router.numRequests).toBe(6);
    expect(readFileSync(join(a, 'replay.md'), 'utf8')).toContain('simulated by the cluster twin');
  });

  it('puts a real run beside the simulated one with --vs: a kind column and the error per figure', async () => {
    const first = folders.next();
    expect(await command.run([...emulated, '--out', first], captureIo(process.cwd()))).toBe(0);
    // A "real" run: the simulated report with its kind changed and every TTFT doubled.
    const real = JSON.parse(readFileSync(join(first, 'replay.json'), 'utf8'));
    real.meta = { ...real.meta, targetKind: 'cluster', label: 'local cluster' };
    for (const r of real.requests) if (r.ttftSeconds !== null) r.ttftSeconds *= 2;
    const realFile = join(first, 'real.json');
    writeFileSync(realFile, JSON.stringify(real));
    const out = folders.next();
    expect(await command.run([...emulated, '--vs', realFile, '--out', out], captureIo(process.cwd()))).toBe(0);
    const md = readFileSync(join(out, 'compare.md'), 'utf8');
    expect(md).toMatch(/\| local cluster \| real \|/);
    expect(md).toContain('## Simulated vs real');
    // Simulated TTFTs are half the "real" ones: −50 % on every TTFT percentile.
    expect(md).toMatch(/\| TTFT p50 \| [^|]+ \| [^|]+ \| -50\.0% \|/);
  });

  it('says what is missing when the workers run the real kernels and no calibrated model exists', async () => {
    const io = captureIo(process.cwd());
    expect(await command.run(['--trace', trace, '--out', folders.next()], io)).toBe(1);
    expect(io.err()).toContain('no calibrated model in this test');
  });

  it('charges a host-cost file’s costs: 50 ms of router CPU per request puts every TTFT at ≥ 50 ms', async () => {
    const dir = folders.next();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'host-cost.json');
    const fileCommand = createSimulateCommand({ calibrated: noCalibrated });
    const ttfts = async (argv: string[]) => {
      const out = folders.next();
      const io = captureIo(process.cwd());
      expect(await fileCommand.run([...emulated, ...argv, '--out', out], io)).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8'));
      const requests = report.requests as { status: string; ttftSeconds: number | null }[];
      return { err: io.err(), statuses: requests.map((r) => r.status), ttfts: requests.map((r) => r.ttftSeconds) };
    };
    const free = await ttfts(['--no-host-cost']);
    expect(free.err).toContain('host costs: off');
    // Without it the emulated H100 answers these short prompts faster than 50 ms.
    expect(free.statuses.every((x) => x === 'ok')).toBe(true);
    expect(Math.min(...free.ttfts.map((t) => t ?? Number.NaN))).toBeLessThan(0.05);
    const cost = { ...ZERO_HOST_COST, router: { secondsPerRequest: 0.05, secondsPerToken: 0, busyCores: 0 } };
    saveHostCostFile(file, { version: 1, fittedAtIso: 'test', source: 'test', loadAverage: [], cost, fits: [] });
    const charged = await ttfts(['--host-cost-file', file]);
    expect(charged.err).toContain(`host costs: ${file} (fitted test)`);
    // The router's 50 ms runs before it routes, at a rate ≤ 1 (cores shared): no first token sooner.
    expect(charged.statuses).toEqual(free.statuses);
    for (const t of charged.ttfts) expect(t).toBeGreaterThanOrEqual(0.05);
  });

  it('puts --host-scheduling into the twin’s host (per-core by default) and says which on the header line', async () => {
    const said = async (argv: string[]) => {
      const io = captureIo(process.cwd());
      expect(await command.run([...emulated, ...argv, '--out', folders.next()], io)).toBe(0);
      return io.err();
    };
    expect(await said([])).toMatch(/host: \d+ cores, per-core scheduling/);
    expect(await said(['--host-scheduling', 'shared'])).toMatch(/host: \d+ cores, shared scheduling/);
  });

  it('refuses a bad host-cost file, naming it and the field', async () => {
    const dir = folders.next();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'host-cost.json');
    writeFileSync(file, JSON.stringify({ version: 1, cost: {} }));
    const io = captureIo(process.cwd());
    const fileCommand = createSimulateCommand({ calibrated: noCalibrated });
    expect(await fileCommand.run([...emulated, '--host-cost-file', file, '--out', folders.next()], io)).toBe(1);
    expect(io.err()).toMatch(/host-cost\.json: cost\.router\.secondsPerRequest: expected a finite number ≥ 0/);
  });

  it.each([
    [['--trace', trace, '--no-host-cost', '--host-cost-file', 'x.json'], /--host-cost-file and --no-host-cost/],
    [[], /--trace <file> is required/],
    [['--trace', trace, '--step-model', 'magic'], /--step-model must be one of oicf, calibrated; got 'magic'/],
    [['--trace', trace, '--host-scheduling', 'fifo'], /--host-scheduling must be one of per-core, shared; got 'fifo'/],
    [['--trace', trace, '--seed=-1'], /--seed must be an integer ≥ 0/],
    [['--trace', trace, '--policy', 'fastest'], /--policy: policy 'fastest' is not one of/],
    [['--trace', trace, '--vs', '/nonexistent/replay.json', '--emulate', 'llama-3.1-70b@h100'], /--vs: cannot read/],
  ])('%j → usage error', async (argv, message) => {
    await expect(command.run(argv as string[], captureIo(process.cwd()))).rejects.toThrow(UsageError);
    await expect(command.run(argv as string[], captureIo(process.cwd()))).rejects.toThrow(message);
  });
});
