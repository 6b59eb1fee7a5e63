import { describe, expect, it } from 'vitest';
import { calibratedStepTimeModel } from './calibrated-model.js';
import type { DecodeStructure, ModelCostStructure } from './cost-structure.js';
import { COLUMNS, type Column, ZERO_FEATURES } from './feature-vector.js';
import type { StepCosts } from './fit-step-time.js';
import type { StepFeatures } from './step-features.js';

// A hand-made model and hand-made costs, so every expected time below is arithmetic on the page.
const f = (over: Partial<StepFeatures>): StepFeatures => ({ ...ZERO_FEATURES, ...over });
const kinds = (fp32: number) => ({ fp32, fp16: 0, int8: 0 });
const decode = (nodes: number): DecodeStructure => ({
  single: f({ numRuns: 1, numNodes: nodes }),
  base: f({ numRuns: 1, numNodes: nodes - 10 }),
  perSequence: f({ numNodes: 10, numInputs: 4 }),
  perContextToken: f({ kvReadBytes: 1000 }),
  perOpenToken: f({ activationBytes: 500 }),
  perLeadToken: ZERO_FEATURES,
});
const STRUCTURE: ModelCostStructure = {
  modelId: 'hand-made',
  weights: 'fp32',
  kTileTokens: 256,
  prefillChunkTokens: 100,
  prefill: {
    base: f({ numRuns: 1, numNodes: 200, weightBytes: kinds(4e7) }),
    perNewToken: f({ gemmFlops: kinds(2e7) }),
    perCachedToken: f({ kvReadBytes: 1000 }),
    perScore: f({ attentionFlops: 1000 }),
  },
  decode: { tiled: decode(300), short: decode(100) },
};
// 50 µs per session.run, 2 µs per node, 1 µs per input, fp32 GEMM 200 GFLOP/s, weights 40 GB/s,
// attention 100 GFLOP/s, KV 20 GB/s, activations 50 GB/s.
const COSTS: StepCosts = {
  ...(Object.fromEntries(COLUMNS.map((c) => [c, 0])) as Record<Column, number>),
  runs: 50e-6,
  nodes: 2e-6,
  inputs: 1e-6,
  'gemmFlops.fp32': 1 / 200e9,
  'weightBytes.fp32': 1 / 40e9,
  attentionFlops: 1 / 100e9,
  kvReadBytes: 1 / 20e9,
  activationBytes: 1 / 50e9,
};
const FIT = { costs: COSTS, cacheBytes: null, fittedColumns: COLUMNS.filter((c) => COSTS[c] > 0) };
const model = calibratedStepTimeModel(FIT, STRUCTURE);

describe('calibratedStepTimeModel', () => {
  it('prices a prefill: session.run + nodes + weights + GEMM + attention', () => {
    // 64 new tokens over 0 cached: 50 µs + 200 · 2 µs = 450 µs; weights 4e7 B / 40 GB/s = 1 ms;
    // GEMM 64 · 2e7 = 1.28e9 FLOP / 200 G = 6.4 ms; attention 64 · 64 · 1000 = 4.096e6 / 100 G =
    // 40.96 µs. Total 0.45 + 1 + 6.4 + 0.04096 = 7.89096 ms.
    expect(model.stepSeconds({ phase: 'prefill', numNewTokens: 64, cachedTokens: 0 })).toBeCloseTo(7.89096e-3, 12);
  });

  it('a prefill longer than the chunk runs as chunks over the growing prefix', () => {
    // 150 tokens, chunk 100: (100 over 0) + (50 over 100), two session.runs.
    // Chunk 1: 0.45 ms + 1 ms + 100·2e7/200e9 = 10 ms + 100·100·1000/100e9 = 0.1 ms → 11.55 ms.
    // Chunk 2: 0.45 + 1 + 5 ms (50·2e7/200e9) + KV 100·1000/20e9 = 5 µs + scores 50·150·1000/100e9
    // = 75 µs → 6.53 ms. Total 18.08 ms.
    expect(model.stepSeconds({ phase: 'prefill', numNewTokens: 150, cachedTokens: 0 })).toBeCloseTo(18.08e-3, 12);
  });

  it('prices decode on the short graph below a tile and the tiled graph above, per sequence', () => {
    // One sequence at 100 tokens (< 256): short single, 100 nodes → 50 + 200 = 250 µs; KV
    // 100 · 1000 B / 20 GB/s = 5 µs; open rows 100 · 500 B / 50 GB/s = 1 µs. 256 µs.
    expect(model.stepSeconds({ phase: 'decode', contextTokens: [100] })).toBeCloseTo(256e-6, 12);
    // Three at 300, 10, 1000 (one ≥ 256: tiled): base 290 + 3·10 = 320 nodes → 640 µs, 12 inputs
    // → 12 µs, call 50 µs; KV 1310 · 1000 / 20e9 = 65.5 µs; open rows 44 + 10 + 232 = 286 ·
    // 500 / 50e9 = 2.86 µs. Total 770.36 µs.
    expect(model.stepSeconds({ phase: 'decode', contextTokens: [300, 10, 1000] })).toBeCloseTo(770.36e-6, 12);
  });

  it('prices the resident set beyond the cache capacity at the spill cost', () => {
    // Weights 4e7 B and 1000 B of KV per context token stay resident; a cache of 4.05e7 B and
    // 1 extra second per 10 GB beyond it. One sequence at 1000 tokens (tiled, single 300 nodes):
    // 50 + 600 µs; KV 1e6 B / 20 GB/s = 50 µs; open rows 1000 mod 256 = 232 · 500 B / 50 GB/s =
    // 2.32 µs → 702.32 µs. Resident 4e7 + 1e6 = 4.1e7 B, 5e5 beyond the cache / 10 GB/s = 50 µs.
    // Total 752.32 µs. At 100 tokens (short): resident 4.01e7 < 4.05e7, no spill: 256 µs as above.
    const resident = (nodes: number): DecodeStructure => ({
      ...decode(nodes),
      single: f({ numRuns: 1, numNodes: nodes, residentBytes: 4e7 }),
      perContextToken: f({ kvReadBytes: 1000, residentBytes: 1000 }),
    });
    const cached = calibratedStepTimeModel(
      { ...FIT, costs: { ...COSTS, spillBytes: 1 / 10e9 }, cacheBytes: 4.05e7 },
      { ...STRUCTURE, decode: { tiled: resident(300), short: resident(100) } },
    );
    expect(cached.stepSeconds({ phase: 'decode', contextTokens: [1000] })).toBeCloseTo(752.32e-6, 12);
    expect(cached.stepSeconds({ phase: 'decode', contextTokens: [100] })).toBeCloseTo(256e-6, 12);
  });

  it('a prefill in chunks pays each chunk’s spill, not the spill of their sum', () => {
    // 4e7 B of weights per run and 1000 B per cached token resident; a cache of 3.9e7 B and 1 s
    // per 10 GB beyond it. 150 tokens in chunks of 100: chunk 1 (100 over 0) resident 4e7, spill
    // 1e6 B; chunk 2 (50 over 100) 4e7 + 1e5, spill 1.1e6 B. 2.1e6 B / 10 GB/s = 210 µs on top of
    // the 18.08 ms above (the sum's 8.01e7 − 3.9e7 = 4.11e7 B would add 4.11 ms).
    const prefill = {
      ...STRUCTURE.prefill,
      base: f({ numRuns: 1, numNodes: 200, weightBytes: kinds(4e7), residentBytes: 4e7 }),
      perCachedToken: f({ kvReadBytes: 1000, residentBytes: 1000 }),
    };
    const cached = calibratedStepTimeModel(
      { ...FIT, costs: { ...COSTS, spillBytes: 1 / 10e9 }, cacheBytes: 3.9e7 },
      { ...STRUCTURE, prefill },
    );
    expect(cached.stepSeconds({ phase: 'prefill', numNewTokens: 150, cachedTokens: 0 })).toBeCloseTo(
      18.08e-3 + 210e-6,
      12,
    );
  });

  it('refuses a model needing work the fit never saw, and a malformed step', () => {
    const int8: ModelCostStructure = {
      ...STRUCTURE,
      weights: 'int8',
      prefill: { ...STRUCTURE.prefill, perNewToken: f({ gemmFlops: { fp32: 0, fp16: 0, int8: 1e6 } }) },
    };
    expect(() => calibratedStepTimeModel(FIT, int8)).toThrow(/no measured point exercised gemmFlops\.int8/);
    expect(() => model.stepSeconds({ phase: 'decode', contextTokens: [] })).toThrow(/contextTokens is empty/);
    expect(() => model.stepSeconds({ phase: 'prefill', numNewTokens: 0, cachedTokens: 0 })).toThrow(
      /numNewTokens must be an integer ≥ 1, got 0/,
    );
    expect(model.kind).toBe('calibrated');
    expect(model.label).toBe('hand-made fp32 on this machine');
  });
});
