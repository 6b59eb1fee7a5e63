import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeBehaviour } from '@oicf/loadgen/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { captureIo, fakeRouters, outputFolders, readReplayJson } from '../replay/testing/command-harness.js';
import { replayCommand } from './replay.js';

// `oicf replay --url` end to end against an in-process fake router (the HTTP contract only; the
// real cluster is exercised in test/integration/replay.test.ts).

const folders = outputFolders('oicf-replay-test-');
afterAll(folders.cleanup);
const newOut = folders.next;
const routers = fakeRouters();
const fakeRouter = routers.start;
afterEach(routers.closeAll);
const readJson = readReplayJson;

describe('oicf replay --url (fake router)', () => {
  it('replays the Mooncake fixture: token-id prompts, scaled lengths, prefix hits, metrics deltas, three files', async () => {
    const router = await fakeRouter();
    const out = newOut();
    const io = captureIo();
    const code = await replayCommand.run(
      [
        'mooncake-small.jsonl',
        '--url',
        router.url,
        '--token-scale',
        '0.5',
        '--speed',
        '20',
        '--out',
        out,
        '--scrape-interval',
        '0.1',
      ],
      io,
    );
    expect(code).toBe(0);
    for (const f of ['replay.json', 'replay.md', 'replay.html']) expect(existsSync(join(out, f))).toBe(true);
    expect(io.out()).toContain(join(out, 'replay.html'));
    // × 0.5: inputs 1000, 1100, 1536, 512, 2048, 600 → 500, 550, 768, 256, 1024, 300; outputs 10, 20,
    // 30, 1, 40, 5 → 5, 10, 15, round(0.5) = 1, 20, round(2.5) = 3.
    // Sorted by prompt length: requests due at the same instant (r0, r1 at 0 s; r2, r3 at 3 s) reach the
    // router in either order.
    const byLength = (a: unknown[], b: unknown[]) => (a[0] as number) - (b[0] as number);
    expect(
      router.bodies.map((b) => [b.prompt.length, b.max_tokens, b.ignore_eos, b.session_id]).sort(byLength),
    ).toEqual([
      [256, 1, true, undefined],
      [300, 3, true, undefined],
      [500, 5, true, undefined],
      [550, 10, true, undefined],
      [768, 15, true, undefined],
      [1024, 20, true, undefined],
    ]);
    const report = readJson(out);
    expect(report.summary.byStatus).toEqual({ ok: 6, rejected: 0, error: 0, cancelled: 0 });
    expect(report.summary.concurrency.numWaited).toBe(0);
    // --token-scale-mode blocks (default): each 512-token block becomes 256 tokens under its id
    // (last blocks in proportion), so r0 = 0|1(244), r1 = 0|2|3(38), r2 = 0|1|4, r3 = 0, r4 = 0|2|3|5,
    // r5 = 6|7(44). The fake caches 64-token blocks seen before, in arrival order (r0, r1, r2, r3, r4,
    // r5): r1 hits r0's block-0 run (4 blocks, 256 tokens); r2 hits 0 and r0's 244 tokens of 1 up to
    // the last full 64-block r0 registered (7 blocks, 448); r3 hits 4 (256); r4 hits 0 and r1's 2
    // (8 blocks, 512); r5 none. Cached 256 + 448 + 256 + 512 = 1472 of 3398 prompt tokens.
    expect(report.summary.prefix.numCachedTokens).toBe(1472);
    expect(report.summary.prefix.numPromptTokens).toBe(3398);
    expect(report.summary.prefix.hitRatio).toBeCloseTo(1472 / 3398, 12);
    // The same 4 + 7 + 4 + 8 = 23 blocks as the pool's dram counter, Δ over the run, from /metrics; the
    // queries asked for every full 64-block of each prompt: 7 + 8 + 12 + 4 + 16 + 4 = 51, so 28 misses
    // (r5's query found nothing: all 4 of its blocks are misses).
    expect(report.summary.cluster.poolHits).toEqual({
      byTier: [{ tier: 'dram', hitBlocks: 23 }],
      totalHitBlocks: 23,
      totalQueriedBlocks: 51,
      totalMissBlocks: 28,
      hitRatio: 23 / 51,
    });
    // The router's own count agrees: 1472 cached (worker), 3398 − 1472 = 1926 computed (none).
    expect(report.summary.cluster.routerCachedTokens).toEqual([
      { key: 'none', value: 1926 },
      { key: 'worker', value: 1472 },
    ]);
    expect(report.summary.cluster.routingByReason).toEqual([
      { key: 'cache-hit', value: 4 },
      { key: 'least-loaded', value: 2 },
    ]);
    // Worker discovered through GET /v1/oicf/workers.
    expect(report.metrics.targets.map((t: { name: string }) => t.name)).toEqual(['router', 'decode-0']);
    expect(report.meta).toMatchObject({
      loop: 'open',
      speed: 20,
      tokenScale: 0.5,
      model: 'tiny-gqa',
      targetKind: 'url',
    });
    // Open loop at speed 20: arrivals 0, 0, 3, 3, 6, 9 s → scheduled 0, 0, 0.15, 0.15, 0.3, 0.45 s.
    expect(report.requests.map((r: { scheduledSeconds: number }) => r.scheduledSeconds)).toEqual([
      0, 0, 0.15, 0.15, 0.3, 0.45,
    ]);
    for (const r of report.requests) expect(r.sentSeconds).toBeGreaterThanOrEqual(r.scheduledSeconds);
  });

  it('--token-scale-mode remap uses @oicf/traces scaleTokens: coarser blocks, less sharing', async () => {
    const router = await fakeRouter();
    const out = newOut();
    const args = ['mooncake-small.jsonl', '--url', router.url, '--token-scale', '0.5', '--token-scale-mode', 'remap'];
    expect(await replayCommand.run([...args, '--speed', '20', '--out', out], captureIo())).toBe(0);
    const report = readJson(out);
    // scaleTokens keeps 512-token blocks and names each after the original block holding its last
    // token: r0 [1], r1 [2, 3], r2 [1, 4], r3 [0], r4 [2, 5], r5 [7]. r2 repeats r0's 500 tokens of
    // id 1 → 7 full 64-blocks (448); r4 repeats r1's 512 tokens of id 2 → 8 blocks (512): 960 cached.
    expect(report.summary.prefix.numCachedTokens).toBe(960);
    expect(report.meta.options.tokenScaleMode).toBe('remap');
    // Sorted: on a loaded machine requests due close together may reach the router in either order.
    expect(router.bodies.map((b) => b.prompt.length).sort((a, b) => a - b)).toEqual([256, 300, 500, 550, 768, 1024]);
  });

  it('closed loop for agent sessions: session ids sent, next turn after completion + gap ÷ speed', async () => {
    const router = await fakeRouter();
    const out = newOut();
    expect(
      await replayCommand.run(['agent-small.jsonl', '--url', router.url, '--speed', '10', '--out', out], captureIo()),
    ).toBe(0);
    const report = readJson(out);
    expect(report.meta.loop).toBe('closed');
    expect(router.bodies.map((b) => b.session_id).sort()).toEqual(['a', 'a', 'a', 'b', 'b']);
    const byId = Object.fromEntries(report.requests.map((r: { requestId: string }) => [r.requestId, r]));
    // Session a: turn 1 has a 1.5 s tool gap, turn 2 a 3 s one; at speed 10 that is 0.15 s and 0.3 s
    // after the previous turn finished.
    expect(byId['a/1'].sentSeconds).toBeGreaterThanOrEqual(byId['a/0'].finishedSeconds + 0.15 - 1e-9);
    expect(byId['a/2'].sentSeconds).toBeGreaterThanOrEqual(byId['a/1'].finishedSeconds + 0.3 - 1e-9);
    expect(byId['a/1'].scheduledSeconds).toBeCloseTo(byId['a/0'].finishedSeconds + 0.15, 9);
  });

  it('counts 429s by reason, as the client saw them and as the router counted them', async () => {
    // Requests 1, 3 and 4 of the trace (1,100, 512 and 2,048 prompt tokens) are rejected. Keyed by prompt
    // length, not arrival index: requests 0 and 1 are both due at t = 0 and may reach the router in either order.
    const rejects: Record<number, FakeBehaviour['reject']> = { 1100: 'slo', 512: 'capacity', 2048: 'slo' };
    const router = await fakeRouter((_i, body) => {
      const reject = rejects[body.prompt.length];
      return reject ? { reject } : {};
    });
    const out = newOut();
    expect(
      await replayCommand.run(
        ['mooncake-small.jsonl', '--url', router.url, '--speed', '50', '--out', out],
        captureIo(),
      ),
    ).toBe(0);
    const { summary, requests } = readJson(out);
    expect(summary.byStatus).toEqual({ ok: 3, rejected: 3, error: 0, cancelled: 0 });
    expect(summary.rejectsByReason).toEqual([
      { key: 'slo', value: 2 },
      { key: 'capacity', value: 1 },
    ]);
    expect(summary.cluster.rejectsByReason).toEqual([
      { key: 'capacity', value: 1 },
      { key: 'slo', value: 2 },
    ]);
    expect(requests[1]).toMatchObject({ status: 'rejected', httpStatus: 429, errorCode: 'slo', ttftSeconds: null });
    // 3 of 6 judged requests met the (default) SLOs: the rejects count against attainment.
    expect(summary.goodput.attainment).toBe(0.5);
    expect(readFileSync(join(out, 'replay.md'), 'utf8')).toContain('| slo | 2 | 2 |');
  });

  it('respects --concurrency over real HTTP and reports the waits', async () => {
    const router = await fakeRouter(() => ({ ttftMs: 30, gapMs: 5 }));
    const out = newOut();
    // All six arrive within 9 s of trace time; at speed 1000 they are due within 9 ms, while each takes ≥ 30 ms.
    expect(
      await replayCommand.run(
        [
          'mooncake-small.jsonl',
          '--url',
          router.url,
          '--speed',
          '1000',
          '--concurrency',
          '2',
          '--token-scale',
          '0.1',
          '--out',
          out,
        ],
        captureIo(),
      ),
    ).toBe(0);
    expect(router.maxConcurrent()).toBeLessThanOrEqual(2);
    const { summary } = readJson(out);
    expect(summary.byStatus.ok).toBe(6);
    expect(summary.concurrency.limit).toBe(2);
    expect(summary.concurrency.numWaited).toBeGreaterThanOrEqual(3);
  });

  it('Ctrl-C cancels in-flight requests and still writes a partial report (exit 130)', async () => {
    const router = await fakeRouter(() => ({ ttftMs: 20, gapMs: 50 }));
    const out = newOut();
    const controller = new AbortController();
    const io = captureIo(controller.signal);
    setTimeout(() => controller.abort(), 400);
    const started = Date.now();
    // Request 4 asks for 40 tokens × 50 ms = 2 s; the later ones are due at 6 s and 9 s (speed 1).
    const code = await replayCommand.run(['mooncake-small.jsonl', '--url', router.url, '--out', out], io);
    expect(code).toBe(130);
    expect(Date.now() - started).toBeLessThan(3000);
    const report = readJson(out);
    expect(report.interrupted).toBe(true);
    expect(report.numPlanned).toBe(6);
    // Requests 0 and 1 (due at 0) need 10 and 20 tokens: 0.47 s and 0.97 s, so both were cut off.
    expect(report.requests.map((r: { status: string }) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect(readFileSync(join(out, 'replay.md'), 'utf8')).toContain('**Interrupted (Ctrl-C)');
    expect(io.out()).toContain('INTERRUPTED, partial');
  });
});
