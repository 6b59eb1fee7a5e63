import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExploreResultFile } from '@oicf/explore';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { captureIo } from '../testing/capture-io.js';
import { createExploreCommand } from './explore.js';
import { parseBudget, parseExploreArgs, parseSlo, secondsValue } from './explore-args.js';
import { exploreMergeCommand } from './explore-merge.js';
import { formatExploreProgress } from './explore-progress.js';

const space = {
  name: 'cli-test',
  model: 'llama-3-8b',
  precision: 'bf16',
  modes: ['disaggregated', 'colocated'],
  prefill: { devices: ['h100'], tp: [1], instances: [1] },
  decode: { devices: ['h100', 'h200'], tp: [1], instances: [1, 2] },
  kvTiers: [[], ['dram']],
};

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oicf-explore-'));
  writeFileSync(join(dir, 'space.json'), JSON.stringify(space));
  return dir;
}

const common = ['--workload', 'chat', '--sessions-per-second', '0.5', '--duration', '20', '--space', 'space.json'];

describe('oicf explore arguments', () => {
  it('reads SLOs with units and budgets in both forms', () => {
    expect([secondsValue('2.5'), secondsValue('2.5s'), secondsValue('150ms'), secondsValue('fast')]).toEqual([
      2.5,
      2.5,
      0.15,
      Number.NaN,
    ]);
    const errors: string[] = [];
    expect(parseSlo('ttft=2.5,tpot=150ms', errors)).toEqual({ ttftSeconds: 2.5, tpotSeconds: 0.15 });
    expect(parseBudget('200', errors)).toEqual({ usdPerHour: 200, watts: null });
    expect(parseBudget('usd=120,watts=40000', errors)).toEqual({ usdPerHour: 120, watts: 40000 });
    expect(errors).toEqual([]);
  });

  it('lists every bad flag at once', () => {
    expect(() =>
      parseExploreArgs(['--slo', 'ttft=0', '--shard', '3/3', '--objective', 'cheapest', '--workers', '0']),
    ).toThrow(
      new UsageError(
        [
          '',
          '--workload is required: a workflow id (coding, chat, web-use, computer-use) or a trace file',
          "--slo: ttft must be a time > 0 (2.5, 2.5s, 150ms), got '0'",
          '--slo: tpot=… is missing',
          "--objective must be one of goodput-per-usd, goodput-per-kw, goodput, tokens-per-joule; got 'cheapest'",
          "--shard must be i/N with 0 ≤ i < N (e.g. 0/8), got '3/3'",
          "--workers must be an integer ≥ 1, got '0'",
        ].join('\n  '),
      ),
    );
  });

  it('draws progress with an ETA', () => {
    // 6,000 of 10,000 in 1.2 s: 4,000 left at 5,000/s → 0.8 s.
    expect(formatExploreProgress('screen', 6000, 10000, 1.2)).toBe(
      'screen [##############..........]  6,000/10,000  1.2 s  ETA 800 ms',
    );
  });
});

describe('oicf explore', () => {
  it('screens, simulates the best, writes the ranking, and refuses an unknown workload', async () => {
    const dir = workdir();
    const io = captureIo(dir);
    const code = await createExploreCommand().run(
      [...common, '--slo', 'ttft=2.5,tpot=150ms', '--simulate-top', '2', '--out', 'out', '--top', '5'],
      io,
    );
    expect(code).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'out', 'explore.json'), 'utf8')) as ExploreResultFile;
    expect([file.space.numConfigurations, file.screened.length, file.simulated.length]).toEqual([16, 16, 2]);
    expect(readFileSync(join(dir, 'out', 'explore.csv'), 'utf8').split('\n')[0]).toMatch(
      /^rank,index,configuration,stage,/,
    );
    expect(readFileSync(join(dir, 'out', 'explore.html'), 'utf8')).toContain('Pareto frontier');
    expect(io.out()).toMatch(/^cli-test: 16 configurations/);
    expect(io.out()).toMatch(/\n ?1 {2}sim {2}/);
    await expect(
      createExploreCommand().run(['--workload', 'nope', '--slo', 'ttft=1,tpot=1'], captureIo(dir)),
    ).rejects.toThrow(/--workload: .*nope/);
  });

  it('refuses a space with an unknown device kind, naming the file, the path and the valid kinds', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...space, decode: { devices: ['h100', 'tpu-v9'] } }));
    const run = createExploreCommand().run(
      ['--workload', 'chat', '--space', 'bad.json', '--slo', 'ttft=2.5,tpot=150ms', '--out', 'out'],
      captureIo(dir),
    );
    await expect(run).rejects.toThrow(/--space bad\.json: invalid space/);
    await expect(run).rejects.toThrow(/decode\.devices\[1\]: unknown device 'tpu-v9'; valid: h100, /);
  });

  it('a Ctrl-C before the end writes the partial ranking and exits 130', async () => {
    const dir = workdir();
    const controller = new AbortController();
    controller.abort();
    const io = captureIo(dir, { signal: controller.signal });
    const code = await createExploreCommand().run([...common, '--slo', 'ttft=2.5,tpot=0.15', '--out', 'out'], io);
    expect(code).toBe(130);
    const file = JSON.parse(readFileSync(join(dir, 'out', 'explore.json'), 'utf8')) as ExploreResultFile;
    // The first batch of the screen ran (the space is smaller than one batch), nothing was simulated.
    expect([file.interrupted, file.screened.length, file.simulated.length]).toEqual([true, 16, 0]);
    expect(io.out()).toContain('INTERRUPTED, partial ranking');
  });

  it('shards and their merge give the unsharded ranking', async () => {
    const dir = workdir();
    const run = (extra: string[]) =>
      createExploreCommand().run(
        [...common, '--slo', 'ttft=2.5,tpot=0.15', '--simulate-top', '2', ...extra],
        captureIo(dir),
      );
    expect(await run(['--out', 'whole'])).toBe(0);
    expect(await run(['--shard', '0/2', '--out', 'shards'])).toBe(0);
    expect(await run(['--shard', '1/2', '--out', 'shards'])).toBe(0);
    const io = captureIo(dir);
    const code = await exploreMergeCommand.run(
      ['shards/shard-1-of-2.json', 'shards/shard-0-of-2.json', '--out', 'merged', '--csv'],
      io,
    );
    expect(code).toBe(0);
    const csv = (f: string) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .map((l) => l.split(',').slice(0, 4).join(','));
    expect(csv('merged/explore.csv')).toEqual(csv('whole/explore.csv'));
    expect(io.out().split('\n')[0]).toMatch(/^rank,index,configuration,stage,/);
  });
});
