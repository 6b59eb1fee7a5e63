import { describe, expect, it } from 'vitest';
import type { TraceRequest } from '../types.js';
import { scaleTokens } from './scale-tokens.js';

const req = (
  inputTokens: number,
  blockHashes: (number | string)[],
  blockTokens: number,
  outputTokens = 10,
): TraceRequest => ({
  requestId: 'r',
  arrivalSeconds: 0,
  inputTokens,
  outputTokens,
  blockHashes,
  blockTokens,
});
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('scaleTokens', () => {
  const cases: [string, TraceRequest, number, Partial<TraceRequest>][] = [
    // 14 tokens in 4-token blocks a|b|c|d → 7 tokens, ceil(7/4) = 2 blocks. Scaled block 0 ends at
    // token 4 → original token 8 → block 1 (b); block 1 ends at 7 → 14 → block 3 (d).
    ['halving', req(14, ['a', 'b', 'c', 'd'], 4), 0.5, { inputTokens: 7, outputTokens: 5, blockHashes: ['b', 'd'] }],
    [
      'identity',
      req(14, ['a', 'b', 'c', 'd'], 4),
      1,
      { inputTokens: 14, outputTokens: 10, blockHashes: ['a', 'b', 'c', 'd'] },
    ],
    // Mooncake mean request: 12,035 tokens, ceil(12035/512) = 24 ids. × 0.1 → round(1203.5) = 1204 tokens,
    // ceil(1204/512) = 3 blocks ending at 512, 1024, 1204 → original 5120, 10240, min(12035, 12040) →
    // blocks 9, 19, 23. Output 343 → round(34.3) = 34.
    [
      'a tenth of a Mooncake request',
      req(12_035, range(0, 24), 512, 343),
      0.1,
      { inputTokens: 1204, outputTokens: 34, blockHashes: [9, 19, 23] },
    ],
    // × 2: 6 tokens x|y → 12 tokens, 3 blocks ending at 4, 8, 12 → original 2, 4, 6 → blocks 0, 0, 1.
    ['doubling', req(6, ['x', 'y'], 4), 2, { inputTokens: 12, outputTokens: 20, blockHashes: ['x/0', 'x/1', 'y/0'] }],
    // × 0.9: 1000 tokens → 900, 2 blocks ending at 512, 900 → original ceil(568.9) = 569, 1000 → blocks 1, 1.
    [
      'a repeat in the last block',
      req(1000, [0, 1], 512),
      0.9,
      { inputTokens: 900, outputTokens: 9, blockHashes: [1, '1/1'] },
    ],
    // Never below one token: 3 × 0.01 → 1 token, 1 block ending at 1 → original min(3, 100) → block 0.
    ['tiny', req(3, [7], 512, 2), 0.01, { inputTokens: 1, outputTokens: 1, blockHashes: [7] }],
    ['zero output stays zero', req(3, [7], 512, 0), 0.5, { inputTokens: 2, outputTokens: 0, blockHashes: [7] }],
  ];
  it.each(cases)('%s', (_name, request, factor, expected) => {
    expect(scaleTokens(request, factor)).toEqual({ ...request, ...expected });
  });

  it('tolerates float error in token ÷ factor', () => {
    // 1-token blocks, ids 0..39, × 0.7 → 28 blocks. Scaled block 20 ends at token 21, and
    // 21 / 0.7 = 30.000000000000004 in doubles: exactly original token 30, i.e. block 29 (not 30).
    const scaled = scaleTokens(req(40, range(0, 40), 1), 0.7);
    expect(scaled.blockHashes).toHaveLength(28);
    expect(scaled.blockHashes?.[20]).toBe(29);
  });

  it('keeps shared prefixes shared', () => {
    // Two 24-block requests sharing their first 10 blocks. At × 0.1 scaled block 0 maps to original
    // block 9 (shared), blocks 1 and 2 to 19 and 23 (not shared): 1 of 3 scaled blocks shared.
    const a = scaleTokens(req(12_035, range(0, 24), 512), 0.1);
    const b = scaleTokens(req(12_035, [...range(0, 10), ...range(100, 14)], 512), 0.1);
    expect(a.blockHashes).toEqual([9, 19, 23]);
    expect(b.blockHashes).toEqual([9, 109, 113]);
  });

  it('scales newTokens, capped at the new input, and leaves traces without blocks without blocks', () => {
    const got = scaleTokens(
      { requestId: 'n', arrivalSeconds: 1, inputTokens: 10, outputTokens: 4, newTokens: 10 },
      0.25,
    );
    // round(2.5) = 3 input, round(1) = 1 output, newTokens round(2.5) = 3 ≤ 3.
    expect(got).toEqual({ requestId: 'n', arrivalSeconds: 1, inputTokens: 3, outputTokens: 1, newTokens: 3 });
  });

  it('scales the output by its own factor, never below 1, 0 staying 0', () => {
    // Input 14 × 0.5 = 7 (blocks as in 'halving'); output 10 × 0.04 = round(0.4) → kept at 1; 0 stays 0.
    expect(scaleTokens(req(14, ['a', 'b', 'c', 'd'], 4), { input: 0.5, output: 0.04 })).toMatchObject({
      inputTokens: 7,
      outputTokens: 1,
      blockHashes: ['b', 'd'],
    });
    expect(scaleTokens(req(14, ['a', 'b', 'c', 'd'], 4, 0), { input: 0.5, output: 3 }).outputTokens).toBe(0);
    // Output 10 × 3 = 30 while the input halves.
    expect(scaleTokens(req(14, ['a', 'b', 'c', 'd'], 4), { input: 0.5, output: 3 }).outputTokens).toBe(30);
  });

  it.each([0, -2, Number.NaN])('rejects factor %f', (factor) => {
    expect(() => scaleTokens(req(4, [0], 4), factor)).toThrow(/token scale factor must be a finite number > 0/);
  });
});
