import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterLauncher, ClusterOverrides } from '@oicf/cluster';
import { fixturesDir } from '@oicf/traces/node';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { main } from '../main.js';
import { captureIo, fakeRouters, outputFolders, readReplayJson } from '../replay/testing/command-harness.js';
import { createReplayCommand, replayCommand } from './replay.js';

// `oicf replay` on launched clusters (the launcher injected: each "cluster" is a fake router) and
// its usage errors. The real launcher is exercised in test/integration/replay.test.ts.

const folders = outputFolders('oicf-replay-test-');
afterAll(folders.cleanup);
const newOut = folders.next;
const routers = fakeRouters();
const fakeRouter = routers.start;
afterEach(routers.closeAll);
const readJson = readReplayJson;

const fixture = (name: string) => join(fixturesDir(), name);

describe('oicf replay on launched clusters (launcher injected)', () => {
  function fakeLauncher(
    calls: ClusterOverrides[],
    fail = false,
    runDirs: string[] = [],
  ): (base: unknown) => ClusterLauncher {
    return () => ({
      async launch(overrides, options) {
        calls.push(overrides);
        runDirs.push(options.runDir);
        if (fail) throw new Error('router exited with code 1 before listening');
        const r = await fakeRouter(() => ({ ttftMs: overrides.policy === 'round-robin' ? 300 : 2 }));
        return {
          routerUrl: r.url,
          scrapeTargets: [{ name: 'router', url: `${r.url}/metrics` }],
          config: { overrides },
          stop: () => r.close(),
        };
      },
    });
  }

  it('--compare policy=…: one cluster per value, a report per value and one comparison', async () => {
    const calls: ClusterOverrides[] = [];
    const runDirs: string[] = [];
    const out = newOut();
    const io = captureIo();
    const command = createReplayCommand({ launcherFor: fakeLauncher(calls, false, runDirs) });
    const code = await command.run(
      [
        'mooncake-small.jsonl',
        '--compare',
        'policy=round-robin,oicf-cost',
        '--mode',
        'colocated',
        '--speed',
        '50',
        '--out',
        out,
      ],
      io,
    );
    expect(code).toBe(0);
    expect(calls).toEqual([
      { mode: 'colocated', policy: 'round-robin' },
      { mode: 'colocated', policy: 'oicf-cost' },
    ]);
    // Cluster logs and configs go beside each configuration's report by default.
    expect(runDirs).toEqual([join(out, 'policy-round-robin', 'cluster'), join(out, 'policy-oicf-cost', 'cluster')]);
    for (const f of [
      'compare.json',
      'compare.md',
      'compare.html',
      'policy-round-robin/replay.json',
      'policy-oicf-cost/replay.html',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const compare = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    expect(
      compare.runs.map((r: { meta: { label: string; targetKind: string } }) => [r.meta.label, r.meta.targetKind]),
    ).toEqual([
      ['policy=round-robin', 'cluster'],
      ['policy=oicf-cost', 'cluster'],
    ]);
    // The fake answers round-robin 300 ms before the first token and oicf-cost 2 ms: the comparison sees it
    // (300 ms, not 15: on a 2-core machine at a load average of 20, scheduling delays of tens of ms inverted
    // a 15 ms vs 2 ms difference).
    const [rr, oc] = compare.runs.map((r: { summary: { ttft: { p50Seconds: number } } }) => r.summary.ttft.p50Seconds);
    expect(rr).toBeGreaterThan(oc);
    const html = readFileSync(join(out, 'compare.html'), 'utf8');
    expect(html).toContain('TTFT percentiles');
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//);
  });

  it('--compare emulate=none,…: the unpaced baseline launches with emulation cleared, beside the target', async () => {
    const calls: ClusterOverrides[] = [];
    const out = newOut();
    const command = createReplayCommand({ launcherFor: fakeLauncher(calls) });
    const args = [
      'mooncake-small.jsonl',
      '--compare',
      'emulate=none,llama-3.1-70b@h100',
      '--speed',
      '50',
      '--out',
      out,
    ];
    expect(await command.run(args, captureIo())).toBe(0);
    // null clears whatever the base config emulates (applyOverrides); the second paces to the target.
    expect(calls).toEqual([{ emulate: null }, { emulate: 'llama-3.1-70b@h100' }]);
    const compare = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    expect(compare.runs.map((r: { meta: { label: string } }) => r.meta.label)).toEqual([
      'emulate=none',
      'emulate=llama-3.1-70b@h100',
    ]);
    // The comparison names each configuration's emulation outcome (the fake cluster paces nothing).
    expect(readFileSync(join(out, 'compare.md'), 'utf8')).toContain('none (not emulating)');
  });

  it('--compare keeps going when one configuration fails to launch, and exits 1', async () => {
    const calls: ClusterOverrides[] = [];
    const working = fakeLauncher(calls)(undefined);
    const launcherFor = (): ClusterLauncher => ({
      launch: (overrides, options) =>
        overrides.policy === 'least-loaded'
          ? Promise.reject(new Error('decode-0 exited with code 1'))
          : working.launch(overrides, options),
    });
    const out = newOut();
    const io = captureIo();
    const code = await createReplayCommand({ launcherFor }).run(
      ['mooncake-small.jsonl', '--compare', 'policy=least-loaded,oicf-cost', '--speed', '50', '--out', out],
      io,
    );
    expect(code).toBe(1);
    expect(io.err()).toContain('could not launch the cluster for policy=least-loaded: decode-0 exited with code 1');
    expect(io.err()).toContain('left out of the comparison (failed): policy=least-loaded');
    const compare = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    expect(compare.runs.map((r: { meta: { label: string } }) => r.meta.label)).toEqual(['policy=oicf-cost']);
  });

  it('a single launched run passes --policy/--emulate through; a launch failure exits 1 with the reason', async () => {
    const calls: ClusterOverrides[] = [];
    const ok = captureIo();
    const out = newOut();
    expect(
      await createReplayCommand({ launcherFor: fakeLauncher(calls) }).run(
        [
          'mooncake-small.jsonl',
          '--policy',
          'prefix-aware',
          '--emulate',
          'llama-3.1-70b@h100',
          '--speed',
          '50',
          '--out',
          out,
        ],
        ok,
      ),
    ).toBe(0);
    expect(calls).toEqual([{ policy: 'prefix-aware', emulate: 'llama-3.1-70b@h100' }]);
    const elsewhere = captureIo();
    const runDirs: string[] = [];
    expect(
      await createReplayCommand({ launcherFor: fakeLauncher([], false, runDirs) }).run(
        ['mooncake-small.jsonl', '--speed', '50', '--out', newOut(), '--cluster-run-dir', '/tmp/oicf-run-dir-test'],
        elsewhere,
      ),
    ).toBe(0);
    expect(runDirs).toEqual(['/tmp/oicf-run-dir-test']);
    expect(readJson(out).meta.label).toBe('policy=prefix-aware,emulate=llama-3.1-70b@h100');
    const bad = captureIo();
    expect(
      await createReplayCommand({ launcherFor: fakeLauncher([], true) }).run(
        ['mooncake-small.jsonl', '--out', newOut()],
        bad,
      ),
    ).toBe(1);
    expect(bad.err()).toContain(
      'could not launch the cluster for local cluster: router exited with code 1 before listening',
    );
  });
});

describe('oicf replay usage', () => {
  it.each([
    [[], /expected exactly one trace file, got none/],
    [['t', '--speed', '0'], /--speed must be a number > 0, got '0'/],
    [['t', '--concurrency', '1.5'], /--concurrency must be an integer ≥ 1, got '1.5'/],
    [['t', '--loop', 'half'], /--loop must be open, closed or auto; got 'half'/],
    [
      ['t', '--compare', 'policy=bogus,oicf-cost'],
      /--compare: policy 'bogus' is not one of round-robin, least-loaded, prefix-aware, oicf-cost/,
    ],
    [['t', '--compare', 'policy=oicf-cost'], /give at least two values/],
    [['t', '--compare', 'emulate=llama-3.1-70b@h100,gpt@h100'], /unknown model 'gpt'/],
    [
      ['t', '--url', 'http://127.0.0.1:1', '--compare', 'mode=disaggregated,colocated'],
      /--compare configures the cluster this command launches; leave out --url to use it/,
    ],
    [
      ['t', '--url', 'http://127.0.0.1:1', '--policy', 'oicf-cost', '--mode', 'colocated'],
      /--policy, --mode configure the cluster this command launches; leave out --url to use them/,
    ],
    [
      ['t', '--policy', 'oicf-cost', '--compare', 'policy=round-robin,oicf-cost'],
      /--policy conflicts with --compare policy/,
    ],
    [['t', '--url', 'localhost:80'], /--url must be an http\(s\) URL/],
    [['t', '--bogus'], /Unknown option '--bogus'/],
    [['no-such-file.jsonl', '--url', 'http://127.0.0.1:1'], /cannot read 'no-such-file\.jsonl' \(ENOENT\)/],
  ])('rejects %j', async (argv, message) => {
    await expect(replayCommand.run(argv, captureIo())).rejects.toThrow(UsageError);
    await expect(replayCommand.run(argv, captureIo())).rejects.toThrow(message);
  });

  it('lists every bad option at once', async () => {
    const run = replayCommand.run(['t', '--speed=-1', '--token-scale', 'x', '--slo-ttft', '0'], captureIo());
    await expect(run).rejects.toThrow(/--speed must be[\s\S]*--token-scale must be[\s\S]*--slo-ttft must be/);
  });

  it('is registered: help through main, an unreachable router exits 1', async () => {
    const help = captureIo();
    expect(await main(['replay', '--help'], help)).toBe(0);
    expect(help.out()).toContain('Usage: oicf replay <trace-file> [options]');
    const io = captureIo();
    expect(
      await main(['replay', fixture('mooncake-small.jsonl'), '--url', 'http://127.0.0.1:1', '--out', newOut()], io),
    ).toBe(1);
    expect(io.err()).toContain('cannot reach the router at http://127.0.0.1:1/v1/models');
  });
});
