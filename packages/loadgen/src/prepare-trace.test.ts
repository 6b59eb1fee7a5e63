import { fixturesDir } from '@oicf/traces/node';
import { describe, expect, it } from 'vitest';
import { type PrepareTraceResult, prepareTrace, type TraceOptions } from './prepare-trace.js';

// mooncake-small.jsonl (packages/traces/fixtures): inputs 1000, 1100, 1536, 512, 2048, 600 tokens in
// 512-token blocks; outputs 10, 20, 30, 1, 40, 5.
const base: TraceOptions = {
  traceFile: 'mooncake-small.jsonl',
  format: 'auto',
  skipBadLines: false,
  window: undefined,
  tokenScale: 1,
  tokenScaleMode: 'blocks',
  loop: 'auto',
};

async function prepared(options: Partial<TraceOptions>): Promise<Extract<PrepareTraceResult, { ok: true }>> {
  const result = await prepareTrace({ ...base, ...options }, fixturesDir());
  if (!result.ok) throw new Error(result.message);
  return result;
}

const shape = (p: Awaited<ReturnType<typeof prepared>>) =>
  p.requests.map((r) => [r.inputTokens, r.outputTokens, r.blockTokens]);

describe('prepareTrace token scaling (@oicf/traces scaleTrace)', () => {
  it('leaves the trace as it is at scale 1', async () => {
    const p = await prepared({});
    expect(shape(p)).toEqual([
      [1000, 10, 512],
      [1100, 20, 512],
      [1536, 30, 512],
      [512, 1, 512],
      [2048, 40, 512],
      [600, 5, 512],
    ]);
    expect([p.outputTokenScale, p.numOutputsBecameOne, p.warnings]).toEqual([1, 0, []]);
  });

  it('scales outputs by the input factor unless given apart (blocks mode keeps ids, shrinks blocks)', async () => {
    // × 0.5: blocks of 256; r0 = 256 + round(488 × 0.5) = 500; outputs round(n × 0.5), round(0.5) = 1 kept ≥ 1.
    const p = await prepared({ tokenScale: 0.5 });
    expect(shape(p)).toEqual([
      [500, 5, 256],
      [550, 10, 256],
      [768, 15, 256],
      [256, 1, 256],
      [1024, 20, 256],
      [300, 3, 256],
    ]);
    expect(p.requests[4]?.blockHashes).toEqual([0, 2, 3, 5]);
    expect(p.numOutputsBecameOne).toBe(0); // r3 asked for 1 in the trace
  });

  it('scales outputs by outputTokenScale and warns with the count that became 1 token', async () => {
    // Outputs × 0.1: 10 → 1, 20 → 2, 30 → 3, 1 → 1 (asked for 1), 40 → 4, 5 → round(0.5) = 1: r0 and r5.
    const p = await prepared({ tokenScale: 0.5, outputTokenScale: 0.1 });
    expect(p.requests.map((r) => r.outputTokens)).toEqual([1, 2, 3, 1, 4, 1]);
    expect(p.requests.map((r) => r.inputTokens)).toEqual([500, 550, 768, 256, 1024, 300]);
    expect([p.outputTokenScale, p.numOutputsBecameOne]).toEqual([0.1, 2]);
    expect(p.warnings).toEqual([
      '2 of 6 outputs became 1 token at output token scale ×0.1 (the trace asked for more): their TPOT rests on almost nothing; a larger --output-token-scale keeps them longer',
    ]);
  });

  it('scales only outputs when the input scale is 1', async () => {
    const p = await prepared({ outputTokenScale: 2 });
    expect(shape(p)).toEqual([
      [1000, 20, 512],
      [1100, 40, 512],
      [1536, 60, 512],
      [512, 2, 512],
      [2048, 80, 512],
      [600, 10, 512],
    ]);
  });

  it('remap mode keeps the 512-token blocks and renames them', async () => {
    // × 0.5 remap: r2 768 tokens → ⌈768 / 512⌉ = 2 blocks, named after the original blocks holding scaled
    // tokens 512 and 768 mapped back (1024 → id 1; 1536 → id 4).
    const p = await prepared({ tokenScale: 0.5, tokenScaleMode: 'remap' });
    expect(p.requests[2]).toMatchObject({ inputTokens: 768, blockTokens: 512, blockHashes: [1, 4] });
  });
});

describe('prepareTrace read failures', () => {
  it('says what to do with a directory, as trace stats does (@oicf/traces openTraceFile)', async () => {
    const result = await prepareTrace({ ...base, traceFile: '.' }, fixturesDir());
    expect(result).toMatchObject({ ok: false, kind: 'unreadable', errno: 'EISDIR' });
    expect(result.ok ? '' : result.message).toContain("cannot read '.' (EISDIR): it is a directory; concatenate");
  });
});
