// `oicf replay` against a real local cluster (router, prefill and decode workers, KV pool as OS
// processes, launched by the command itself): a 100-request window of the Mooncake conversation
// trace, token-scaled so it runs in seconds on 2 cores.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandIo, replayCommand, traceSynthCommand } from '@oicf/cli';
import { sharedTrace } from '@oicf/traces/node';
import { afterAll, describe, expect, it } from 'vitest';

const trace = sharedTrace('mooncake-fast25/conversation_trace.jsonl');
const outDir = mkdtempSync(join(tmpdir(), 'oicf-replay-it-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// One worker of each kind keeps the 2-core machine responsive; prefix-aware routing sends a
// request to the decode worker that holds its prefix. 16-token KV blocks: see the token scale below.
const CLUSTER = {
  blockTokens: 16,
  prefill: { count: 1 },
  decode: { count: 1, maxBatch: 16 },
  // The 100 requests arrive within ~3.3 s (speed 10, below) at one decode worker of batch 16: under the
  // router's default queue bound (16 running + 32 queued per worker, and 30 s of predicted wait) about half
  // would be refused 503 queue-full, which is right for a server and not what this test is about (replay
  // itself). 128 ≥ 100 − 16 queued and 600 s of wait admit the whole burst.
  router: { policy: 'prefix-aware', queue: { maxQueuedPerWorker: 128, maxQueueSeconds: 600 } },
};

describe.skipIf(!trace.exists)(
  trace.exists
    ? 'oicf replay on a launched cluster'
    : `oicf replay on a launched cluster (skipped: ${trace.path} not found)`,
  () => {
    it('replays 100 conversation requests: all complete, prefixes hit, reports written', async () => {
      const configFile = join(outDir, 'cluster.json');
      writeFileSync(configFile, JSON.stringify(CLUSTER));
      let err = '';
      const io: CommandIo = {
        stdout: () => {},
        stderr: (t) => {
          err += t;
        },
        isTty: false,
        cwd: outDir,
        signal: new AbortController().signal,
      };
      // The first 100 requests span 33 s of trace and average 15,247 prompt and 368 output tokens
      // (`oicf trace stats --max-requests 100`); their only shared block is the system prompt
      // (block-level reuse 0.033 ≈ 99 repeats of id 0 in 3,034 blocks). × 0.04 keeps every 512-token
      // block as a round(20.48) = 20-token block under its id: ~610 prompt and ~15 output tokens per
      // request, and the shared first block covers one full 16-token cluster block, so every request
      // after the first can hit. Speed 10 replays the 33 s in ~3.3 s.
      const code = await replayCommand.run(
        [
          trace.path,
          '--cluster-config',
          configFile,
          '--max-requests',
          '100',
          '--token-scale',
          '0.04',
          '--speed',
          '10',
          '--out',
          'report',
          '--scrape-interval',
          '0.5',
        ],
        io,
      );
      expect(code, err).toBe(0);
      const report = JSON.parse(readFileSync(join(outDir, 'report', 'replay.json'), 'utf8'));
      expect(
        report.summary.byStatus,
        JSON.stringify([report.summary.rejectsByReason, report.summary.errorsByCode, report.summary.events]),
      ).toEqual({ ok: 100, rejected: 0, error: 0, cancelled: 0 });
      expect(report.meta.targetKind).toBe('cluster');
      // Every request's first block is the shared system prompt (id 0) and sessions repeat their
      // history, so the cluster must report cached prompt tokens.
      expect(report.summary.prefix.numCachedTokens).toBeGreaterThan(0);
      expect(report.summary.prefix.hitRatio).toBeGreaterThan(0);
      // The services' own counters saw the run too.
      expect(report.summary.cluster.failedTargets).toEqual([]);
      const cached = report.summary.cluster.routerCachedTokens as { key: string; value: number }[] | null;
      expect(cached?.filter((r) => r.key !== 'none').reduce((a, r) => a + r.value, 0)).toBeGreaterThan(0);
      for (const f of ['replay.md', 'replay.html']) {
        expect(readFileSync(join(outDir, 'report', f), 'utf8').length).toBeGreaterThan(1000);
      }
    }, 180_000);
  },
);

// Always runs: the project's own generator writes a coding-agent trace (native format), and the
// replay drives it closed-loop (each turn after the previous completion plus its tool gap).
describe('oicf replay of a synthesized coding-agent trace', () => {
  it('replays every turn closed-loop and reuses each session’s growing prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oicf-replay-synth-'));
    let err = '';
    const io: CommandIo = {
      stdout: () => {},
      stderr: (t) => {
        err += t;
      },
      isTty: false,
      cwd: dir,
      signal: new AbortController().signal,
    };
    try {
      const synth = await traceSynthCommand.run(
        ['--workflow', 'coding', '--sessions', '2', '--turns', '3', '--seed', '7', '--out', 'coding.jsonl'],
        io,
      );
      expect(synth, err).toBe(0);
      writeFileSync(join(dir, 'cluster.json'), JSON.stringify(CLUSTER));
      // Coding turns add thousands of tokens each (system prompt ≈ 2k, tool output up to ~10k);
      // × 0.02 keeps them in the hundreds. Speed 100 shrinks the tool gaps (tens of seconds).
      const code = await replayCommand.run(
        [
          'coding.jsonl',
          '--cluster-config',
          'cluster.json',
          '--loop',
          'closed',
          '--token-scale',
          '0.02',
          '--speed',
          '100',
          '--out',
          'report',
          '--scrape-interval',
          '0.5',
        ],
        io,
      );
      expect(code, err).toBe(0);
      const report = JSON.parse(readFileSync(join(dir, 'report', 'replay.json'), 'utf8'));
      // 2 sessions × 3 turns, all answered.
      expect(report.summary.byStatus).toEqual({ ok: 6, rejected: 0, error: 0, cancelled: 0 });
      // Turn k+1's prompt keeps every full 512-token trace block of turn k under the same id
      // (packages/traces/src/synth/session-blocks.ts). Each turn's prompt holds at least the 2,000-token
      // system prompt, so ≥ floor(2000 / 512) = 3 full blocks, which × 0.02 become round(10.24) = 10-token
      // blocks: ≥ 30 shared tokens, at least one full 16-token cluster block. The one decode worker
      // keeps a finished sequence's blocks and the pool holds them for the session TTL, so each of the
      // 4 later turns (turn index 1 and 2 of both sessions) must report ≥ 16 cached tokens; with them,
      // at least 4 of the 6 requests find cached KV.
      const records = report.requests as {
        requestId: string;
        turnIndex: number | null;
        numCachedTokens: number | null;
      }[];
      const laterTurns = records.filter((r) => (r.turnIndex ?? 0) >= 1);
      expect(laterTurns).toHaveLength(4);
      for (const r of laterTurns) expect(r.numCachedTokens ?? 0, r.requestId).toBeGreaterThanOrEqual(16);
      expect(records.filter((r) => (r.numCachedTokens ?? 0) > 0).length).toBeGreaterThanOrEqual(4);
      expect(report.summary.prefix.numCachedTokens).toBeGreaterThan(0);
      expect(report.meta.loop).toBe('closed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
