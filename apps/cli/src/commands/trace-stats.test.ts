import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fixturesDir, sharedTrace } from '@oicf/traces/node';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { main } from '../main.js';
import { captureIo } from '../testing/capture-io.js';
import { traceStatsCommand } from './trace-stats.js';

const fixtureIo = () => captureIo(fixturesDir());

describe('oicf trace stats', () => {
  it('prints the table for a fixture given relative to cwd', async () => {
    const io = fixtureIo();
    const code = await traceStatsCommand.run(['mooncake-small.jsonl', '--lru-blocks', '3'], io);
    expect(code).toBe(0);
    // Hand-derived in packages/traces/src/stats/trace-stats.test.ts: 6 requests over 9 s, reuse 7/15 and 4/15.
    expect(io.out()).toContain('trace       mooncake-small.jsonl (mooncake)');
    expect(io.out()).toContain('requests    6\n');
    expect(io.out()).toContain('rate        0.667 req/s');
    expect(io.out()).toContain('  infinite cache  0.467');
    expect(io.out()).toContain('  LRU 3 blocks    0.267');
    expect(io.err()).toBe('');
  });

  it('prints JSON with every field, n/a reuse for Azure', async () => {
    const io = fixtureIo();
    expect(await traceStatsCommand.run(['azure-small.csv', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out());
    expect(report).toMatchObject({
      source: 'azure-small.csv',
      format: 'azure',
      numSkippedLines: 0,
      window: null,
      numRequests: 5,
      numSessions: 0,
      prefixReuse: { available: false, reason: 'no prefix information' },
    });
    // Inputs 4808, 3180, 110, 7045, 256 → mean 15399 / 5 = 3079.8; sorted p50 = 3rd = 3180.
    expect(report.inputTokens.mean).toBeCloseTo(3079.8, 9);
    expect(report.inputTokens.p50).toBe(3180);
    expect(report.durationSeconds).toBeCloseTo(3, 9);
  });

  it('applies --window and --max-requests before the statistics', async () => {
    const io = fixtureIo();
    // Native fixture arrivals 0, 1, 2.5, 4, 6: [1, 5) keeps 1, 2.5, 4; the first two are b/0 and a/1.
    expect(
      await traceStatsCommand.run(['agent-small.jsonl', '--window', '1:5', '--max-requests', '2', '--json'], io),
    ).toBe(0);
    const report = JSON.parse(io.out());
    expect(report.window).toEqual({ startSeconds: 1, endSeconds: 5, maxRequests: 2 });
    expect(report.numRequests).toBe(2);
    expect(report.numSessions).toBe(2);
    // b/0 [0,5] then a/1 [0,2,3]: only block 0 of a/1 is cached → 1 of 5.
    expect(report.prefixReuse.infinite).toEqual({ numHitBlocks: 1, hitRatio: 0.2 });
  });

  it('fails on a malformed line with its number, or skips with warnings', async () => {
    const strict = fixtureIo();
    expect(await traceStatsCommand.run(['mooncake-bad.jsonl'], strict)).toBe(1);
    expect(strict.err()).toMatch(/^oicf trace stats: mooncake-bad\.jsonl line 2: not valid JSON/);
    expect(strict.err()).toContain('(use --skip-bad-lines to drop malformed lines)\n');
    const lenient = fixtureIo();
    expect(await traceStatsCommand.run(['mooncake-bad.jsonl', '--skip-bad-lines', '--json'], lenient)).toBe(0);
    expect(JSON.parse(lenient.out())).toMatchObject({ numRequests: 2, numSkippedLines: 4 });
    expect(lenient.err()).toContain("warning: skipped mooncake-bad.jsonl line 3: field 'hash_ids': has 2 ids");
  });

  it('--token-scale, --output-token-scale and --block-tokens add the scaled trace and its ceilings', async () => {
    const io = fixtureIo();
    const argv = [
      'mooncake-small.jsonl',
      '--token-scale',
      '0.02',
      '--output-token-scale',
      '0.1',
      '--block-tokens',
      '16',
    ];
    expect(await traceStatsCommand.run(argv, io)).toBe(0);
    // Hand-derived in packages/traces/src/stats/trace-stats.test.ts: 2,048 / 6,796 unscaled; × 0.02 →
    // 134 prompt tokens in 10-token blocks, 50 served at 10-token and 32 at 16-token cache blocks; outputs
    // × 0.1 → two became 1 token.
    expect(io.out()).toContain('scaled        × 0.02 input, × 0.1 output tokens');
    expect(io.out()).toContain('outputs of 1  2 requests (longer in the trace)');
    expect(io.out()).toContain('  512-token blocks (trace)                0.301  (2,048 of 6,796 tokens)\n');
    expect(io.out()).toContain('  × 0.02: 10-token blocks (scaled trace)  0.373  (50 of 134 tokens)\n');
    expect(io.out()).toContain('  × 0.02: 16-token blocks                 0.239  (32 of 134 tokens)\n');
    expect(io.err()).toBe(
      'note: 2 of 6 outputs became 1 token at × 0.1; a TPOT measured on them rests on almost nothing (raise --output-token-scale)\n',
    );
    const json = fixtureIo();
    expect(await traceStatsCommand.run([...argv, '--json'], json)).toBe(0);
    const report = JSON.parse(json.out());
    expect(report.reuseCeiling).toMatchObject({ blockTokens: 512, numServedTokens: 2048, numPromptTokens: 6796 });
    expect(report.scaled).toMatchObject({
      inputFactor: 0.02,
      outputFactor: 0.1,
      numOutputsBecameOne: 2,
      ceilingAtTraceBlocks: { blockTokens: 10, numServedTokens: 50, numPromptTokens: 134 },
      ceilingAtBlockTokens: { blockTokens: 16, numServedTokens: 32, numPromptTokens: 134 },
    });
  });

  it.each([
    // [fixture, format, requests, sessions, ceiling line]; numbers derived in packages/traces reader tests:
    // weka-small 28 of 73 tokens at 4-token blocks, weka-pretty 8 of 21, copilot-small 832 of 1,926 at 64.
    ['weka-small.jsonl', 'weka', '7', '3', '  4-token blocks (trace)  0.384  (28 of 73 tokens)'],
    ['weka-pretty.json', 'weka', '2', '1', '  4-token blocks (trace)  0.381  (8 of 21 tokens)'],
    ['copilot-small.jsonl', 'copilot', '6', '2', '  64-token blocks (trace)  0.432  (832 of 1,926 tokens)'],
  ])('reads %s as %s with its reuse ceiling', async (name, format, numRequests, numSessions, ceiling) => {
    const io = fixtureIo();
    expect(await traceStatsCommand.run([name], io)).toBe(0);
    expect(io.out()).toContain(`trace       ${name} (${format})`);
    expect(io.out()).toContain(`requests    ${numRequests}\n`);
    expect(io.out()).toContain(`sessions    ${numSessions}\n`);
    expect(io.out()).toContain(`${ceiling}\n`);
  });

  it('says a corrupt gzip stream is corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oicf-stats-'));
    try {
      const gz = gzipSync(readFileSync(join(fixturesDir(), 'copilot-small.jsonl')));
      writeFileSync(join(dir, 'bad.jsonl.gz'), Buffer.concat([gz.subarray(0, 40), Buffer.alloc(40, 0x55)]));
      await expect(traceStatsCommand.run(['bad.jsonl.gz'], captureIo(dir))).rejects.toThrow(
        /cannot read 'bad\.jsonl\.gz': its gzip stream is corrupt \(Z_/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a gzipped Copilot shard and prints the reader notes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oicf-stats-'));
    try {
      writeFileSync(
        join(dir, 'shard-0000.jsonl.gz'),
        gzipSync(readFileSync(join(fixturesDir(), 'copilot-small.jsonl'))),
      );
      const io = captureIo(dir);
      expect(await traceStatsCommand.run(['shard-0000.jsonl.gz', '--json'], io)).toBe(0);
      const report = JSON.parse(io.out());
      expect(report).toMatchObject({ format: 'copilot', numRequests: 6, numSessions: 2 });
      expect(report.notes).toContain('1 LLM call(s) with 0 prompt tokens left out (nothing to prefill)');
      expect(io.err()).toContain('note: 1 LLM call(s) with 0 prompt tokens left out (nothing to prefill)\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    // Neither JSON nor CSV, no telling extension: detection fails; skipping lines would not help.
    ['notes.txt', 'hello world\n', '(name the format with --format: mooncake, azure, agent, weka, copilot)\n'],
    ['empty.jsonl', '\n\n', 'the readable formats are mooncake, azure, agent, weka, copilot, chosen with --format)\n'],
  ])('%s: the hint points to --format, not --skip-bad-lines', async (name, content, hint) => {
    const dir = mkdtempSync(join(tmpdir(), 'oicf-stats-'));
    try {
      writeFileSync(join(dir, name), content);
      const io = captureIo(dir);
      expect(await traceStatsCommand.run([name], io)).toBe(1);
      expect(io.err()).toContain(hint);
      expect(io.err()).not.toContain('--skip-bad-lines');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [[], /expected exactly one trace file, got none/],
    [['a', 'b'], /expected exactly one trace file, got a b/],
    [['x', '--lru-blocks', '0'], /--lru-blocks must be an integer ≥ 1, got '0'/],
    [['x', '--max-requests', '1.5'], /--max-requests must be an integer ≥ 1, got '1.5'/],
    [['x', '--window', '9:3'], /--window: window end \(3\) must be after its start \(9\)/],
    [['x', '--format', 'csv'], /--format must be one of auto, mooncake, azure, agent, weka, copilot; got 'csv'/],
    [['x', '--token-scale', '0'], /--token-scale must be a number > 0, got '0'/],
    [['x', '--output-token-scale', 'half'], /--output-token-scale must be a number > 0, got 'half'/],
    [['x', '--block-tokens', '6.5'], /--block-tokens must be an integer ≥ 1, got '6.5'/],
    [['x', '--bogus'], /^unknown option '--bogus'$/],
    [['no-such-file.jsonl'], /cannot read 'no-such-file\.jsonl' \(ENOENT\)/],
    [['.'], /cannot read '\.' \(EISDIR\): it is a directory; concatenate its trace files one per line/],
  ])('rejects %j', async (argv, message) => {
    await expect(traceStatsCommand.run(argv, fixtureIo())).rejects.toThrow(UsageError);
    await expect(traceStatsCommand.run(argv, fixtureIo())).rejects.toThrow(message);
  });

  it('is registered: `oicf trace stats` runs through main, bad usage exits 2', async () => {
    const ok = fixtureIo();
    expect(await main(['trace', 'stats', join(fixturesDir(), 'agent-small.jsonl')], ok)).toBe(0);
    expect(ok.out()).toContain('sessions    2');
    const bad = fixtureIo();
    expect(await main(['trace', 'stats'], bad)).toBe(2);
    expect(bad.err()).toContain("Run 'oicf trace stats --help' for usage.");
  });

  const conversation = sharedTrace('mooncake-fast25/conversation_trace.jsonl');
  it.skipIf(!conversation.exists)(
    conversation.exists
      ? 'conversation_trace.jsonl: 12,031 requests, mean input 144,793,823 / 12,031, infinite reuse 105,710 / 288,500'
      : `conversation_trace.jsonl (skipped: ${conversation.path} not found)`,
    async () => {
      const io = fixtureIo();
      expect(await traceStatsCommand.run([conversation.path, '--json', '--lru-blocks', '10000'], io)).toBe(0);
      const report = JSON.parse(io.out());
      expect(report.numRequests).toBe(12_031);
      // Summed independently of this code (a short Python pass over the file): Σ input_length = 144,793,823;
      // per request in file order, the leading run of hash_ids seen before sums to 105,710 of 288,500 blocks.
      expect(report.inputTokens.mean).toBeCloseTo(144_793_823 / 12_031, 9);
      expect(report.prefixReuse.infinite.hitRatio).toBeCloseTo(105_710 / 288_500, 9);
      expect(report.prefixReuse.lru.capacityBlocks).toBe(10_000);
    },
  );
});
