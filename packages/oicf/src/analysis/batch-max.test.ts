import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { getModel } from '../models/lookup.js';
import { PRECISION_PRESETS } from '../precision.js';
import { batchMax, batchMaxFromBytes } from './batch-max.js';

describe('batchMax', () => {
  // Llama-3.1-70B bf16: weights 70,553,706,496 · 2 = 141,107,412,992 B, counted whole;
  // free = 192e9 − 141,107,412,992 = 50,892,587,008 B; KV 327,680 B per token.
  //   L =   8,000: per request 2,621,440,000   → 50.89e9 / 2.621e9 = 19.41 → 19
  //   L =   8,192: per request 2,684,354,560   → 18.96 → 18
  //   L =  32,768: per request 10,737,418,240  → 4.74  → 4
  //   L = 131,072: per request 42,949,672,960  → 1.18  → 1
  //   L = 300,000: per request 98,304,000,000  → 0.52  → 0
  it.each([
    [8_000, 19],
    [8_192, 18],
    [32_768, 4],
    [131_072, 1],
    [300_000, 0],
  ])('Llama-3.1-70B bf16 on 192e9 B at %i tokens → %i', (contextTokens, expected) => {
    const model = unwrap(getModel('llama-3.1-70b'));
    expect(batchMax({ model, precision: PRECISION_PRESETS.bf16, capacityBytes: 192e9, contextTokens })).toBe(expected);
  });

  it('adds the per-request workspace', () => {
    // 8,000 tokens + 1e9 B workspace: 50,892,587,008 / 3,621,440,000 = 14.05 → 14
    const model = unwrap(getModel('llama-3.1-70b'));
    const precision = PRECISION_PRESETS.bf16;
    const args = { model, precision, capacityBytes: 192e9, contextTokens: 8000, workspaceBytesPerRequest: 1e9 };
    expect(batchMax(args)).toBe(14);
  });

  it.each([
    // exact fit counts: 10 + 4·5 = 30
    [{ weightBytes: 10, bytesPerRequest: 5, capacityBytes: 30 }, 4],
    // in binary floating point 3 · 0.1 = 0.30000000000000004 > 0.3: only 2 fit
    [{ weightBytes: 0, bytesPerRequest: 0.1, capacityBytes: 0.3 }, 2],
    // the weights alone do not fit
    [{ weightBytes: 31, bytesPerRequest: 5, capacityBytes: 30 }, 0],
    // free requests: unbounded
    [{ weightBytes: 10, bytesPerRequest: 0, capacityBytes: 30 }, Number.POSITIVE_INFINITY],
  ])('batchMaxFromBytes(%o) = %d', (args, expected) => {
    expect(batchMaxFromBytes(args)).toBe(expected);
  });

  it('rejects a negative context naming the argument', () => {
    const model = unwrap(getModel('llama-3-8b'));
    expect(() =>
      batchMax({ model, precision: PRECISION_PRESETS.bf16, capacityBytes: 80e9, contextTokens: -1 }),
    ).toThrow(/contextTokens: must be a finite number ≥ 0/);
  });
});
