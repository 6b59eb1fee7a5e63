import { mulberry32 } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { COLUMNS, type Column, ZERO_FEATURES } from './feature-vector.js';
import { type FitSample, fitStepTime, leaveOneOut, predictSeconds } from './fit-step-time.js';
import type { StepFeatures } from './step-features.js';

// True machine costs of the synthetic data, as figures a CPU like this one has: 80 µs per call,
// 3 µs per node, 1.5 µs per input, fp32 GEMM 300 GFLOP/s, int8 900 GOP/s, fp32 weights streamed at
// 40 GB/s, int8 at 30 GB/s, attention 100 GFLOP/s (MatMul) and 50 GFLOP/s (Gemm), KV 25 GB/s,
// activations 60 GB/s, dequant 10 GB/s, KV read as a one-row stream 40 GB/s, broadcast attention
// 40 GFLOP/s. fp16 is never
// exercised; no cache terms (spill 0).
const TRUE: Record<Column, number> = {
  runs: 80e-6,
  nodes: 3e-6,
  inputs: 1.5e-6,
  'gemmFlops.fp32': 1 / 300e9,
  'gemmFlops.fp16': 0,
  'gemmFlops.int8': 1 / 900e9,
  'weightBytes.fp32': 1 / 40e9,
  'weightBytes.fp16': 0,
  'weightBytes.int8': 1 / 30e9,
  attentionFlops: 1 / 100e9,
  kvReadBytes: 1 / 25e9,
  activationBytes: 1 / 60e9,
  dequantBytes: 1 / 10e9,
  attentionGemmFlops: 1 / 50e9,
  kvStreamBytes: 1 / 40e9,
  spillBytes: 0,
  kvSpillBytes: 0,
  broadcastAttentionFlops: 1 / 40e9,
};
const NO_CACHE = (costs: Record<Column, number>) => ({ costs, cacheBytes: null });

/** A step of a made-up model: fp32 or int8 weights, sizes drawn over the ranges the sweeps cover. */
function randomFeatures(rand: () => number, int8: boolean): StepFeatures {
  const u = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const gemm = u(1e6, 3e10);
  const weights = u(1e7, 6e7);
  return {
    numRuns: 1,
    numNodes: Math.round(u(100, 3000)),
    numInputs: Math.round(u(10, 2000)),
    gemmFlops: { fp32: int8 ? 0 : gemm, fp16: 0, int8: int8 ? gemm : 0 },
    weightBytes: { fp32: int8 ? u(1e5, 3e5) : weights, fp16: 0, int8: int8 ? weights / 4 : 0 },
    attentionFlops: u(0, 3e9),
    broadcastAttentionFlops: rand() < 0.5 ? u(0, 3e9) : 0,
    kvReadBytes: u(0, 1.5e9),
    activationBytes: u(1e5, 2e8),
    dequantBytes: int8 && rand() < 0.5 ? u(1e6, 4e6) : 0,
    attentionGemmFlops: rand() < 0.5 ? u(0, 1e9) : 0,
    kvStreamBytes: rand() < 0.5 ? u(0, 1.5e9) : 0,
    residentBytes: weights + u(0, 1.5e9),
  };
}

function samples(n: number, seed: number, noise: number): FitSample[] {
  const prng = mulberry32(seed);
  const rand = () => prng.next();
  return Array.from({ length: n }, (_, i) => {
    const features = randomFeatures(rand, i % 2 === 1);
    const jitter = 1 + noise * (2 * rand() - 1);
    return { features, seconds: predictSeconds(NO_CACHE(TRUE), features) * jitter };
  });
}

describe('fitStepTime', () => {
  it('recovers the true costs from noiseless synthetic steps', () => {
    const fit = fitStepTime(samples(80, 7, 0));
    for (const c of COLUMNS) {
      if (TRUE[c] === 0) expect(fit.costs[c]).toBe(0);
      else expect(fit.costs[c] / TRUE[c]).toBeCloseTo(1, 6);
    }
    expect(fit.fittedColumns).not.toContain('gemmFlops.fp16');
    expect(fit.fittedColumns).not.toContain('weightBytes.fp16');
    expect(fit.fittedColumns).toContain('dequantBytes');
    expect(fit.maxRelativeError).toBeLessThan(1e-9);
    // Steps that never pay for a spill fit no cache term.
    expect(fit.cacheBytes).toBeNull();
  });

  it('finds the cache capacity past which resident bytes cost more, and the extra cost per byte', () => {
    // The TRUE machine plus a 64 MiB cache (a candidate: 4 MiB · 2^(16/4)) whose every byte of
    // resident set beyond it costs 1/20 GB/s more. A step with resident set R pays
    // (R − 64 MiB)/20e9 s extra when R > 64 MiB: e.g. 100 MiB pays 36·2^20/20e9 = 1.887 ms.
    const truth = { costs: { ...TRUE, spillBytes: 1 / 20e9 }, cacheBytes: 64 * 2 ** 20 };
    const prng = mulberry32(17);
    const rand = () => prng.next();
    const data = Array.from({ length: 120 }, (_, i) => {
      const features = { ...randomFeatures(rand, i % 2 === 1), residentBytes: (8 + 400 * rand()) * 2 ** 20 };
      return { features, seconds: predictSeconds(truth, features) };
    });
    // The resident-set capacity alone (no KV capacities: the next test fits one by hand).
    const fit = fitStepTime(data, { kvCacheBytes: [] });
    expect(fit.cacheBytes).toBe(64 * 2 ** 20);
    expect(fit.costs.spillBytes * 20e9).toBeCloseTo(1, 6);
    const at100MiB = { ...ZERO_FEATURES, residentBytes: 100 * 2 ** 20 };
    expect(predictSeconds({ costs: fit.costs, cacheBytes: fit.cacheBytes }, at100MiB)).toBeCloseTo(
      (36 * 2 ** 20) / 20e9,
      9,
    );
  });

  it('fits the KV cache knee of a tiny hand-made data set exactly', () => {
    // Five steps that read only KV (no weights, resident set 0, one run each), timed by a machine
    // with 100 µs per run, KV at 50 GB/s, and each KV byte beyond 8 MiB 1/(10 GB/s) more:
    //   KV 0       → 100 µs
    //   KV 4 MiB   → 100 + 4,194,304/50e9 s = 100 + 83.886 µs                     = 183.886 µs
    //   KV 8 MiB   → 100 + 167.772 µs                                            = 267.772 µs
    //   KV 16 MiB  → 100 + 335.544 + 8,388,608/10e9 s (838.861 µs)              = 1,274.405 µs
    //   KV 32 MiB  → 100 + 671.089 + 25,165,824/10e9 s (2,516.582 µs)           = 3,287.671 µs
    // At a knee of 8 MiB three columns (runs, kvReadBytes, kvSpillBytes) fit these five exactly:
    // runs 100e-6 s, kvReadBytes 1/50e9 = 2e-11 s/B, kvSpillBytes 1/10e9 = 1e-10 s/B. A knee at
    // 4 or 16 MiB cannot (the 8 MiB point would pay spill, or the 16 MiB point's spill would be 0).
    const MiB = 2 ** 20;
    const step = (kv: number, micros: number): FitSample => ({
      features: { ...ZERO_FEATURES, numRuns: 1, kvReadBytes: kv },
      seconds: micros * 1e-6,
    });
    const data = [
      step(0, 100),
      step(4 * MiB, 183.886),
      step(8 * MiB, 267.772),
      step(16 * MiB, 1274.405),
      step(32 * MiB, 3287.671),
    ];
    const fit = fitStepTime(data, { kvCacheBytes: [4 * MiB, 8 * MiB, 16 * MiB] });
    expect(fit.kvCacheBytes).toBe(8 * MiB);
    expect(fit.cacheBytes).toBeNull();
    // The hand times carry 3 decimals of µs: costs within 1e-4 relative of the true ones.
    expect(fit.costs.runs / 100e-6).toBeCloseTo(1, 4);
    expect(fit.costs.kvReadBytes / 2e-11).toBeCloseTo(1, 4);
    expect(fit.costs.kvSpillBytes / 1e-10).toBeCloseTo(1, 4);
    expect(fit.fittedColumns).toEqual(['runs', 'kvReadBytes', 'kvSpillBytes']);
    // 12 MiB: 100 + 12·2^20/50e9 s (251.658 µs) + 4·2^20/10e9 s (419.430 µs) = 771.089 µs.
    expect(predictSeconds(fit, step(12 * MiB, 1).features) * 1e6).toBeCloseTo(771.089, 1);
    // Without the KV term the same data cannot be fitted within 10 %: a line within 10 % at KV 0
    // (≤ 110 µs) and at 32 MiB (≥ 2,959 µs) rises ≥ 89 µs per MiB, so it prices 8 MiB at ≥ 802 µs (3×).
    const flat = fitStepTime(data, { kvCacheBytes: [] });
    expect(flat.kvCacheBytes).toBeNull();
    expect(flat.maxRelativeError).toBeGreaterThan(0.1);
  });

  it('with ±3 % multiplicative noise, prices held-out steps within the noise band', () => {
    // Each measured time is off by at most 3 %, so a fit near the true costs prices any step of the
    // same kind within about 3 % plus the fit's own estimation error; 5 % bounds both.
    const data = samples(200, 11, 0.03);
    // No candidate cache capacities: these steps pay no spill (the test above checks that case),
    // and 33 capacities × 200 refits would only slow the test. 200 steps: 15 costs to estimate.
    const predicted = leaveOneOut(data, { cacheBytes: [], kvCacheBytes: [] });
    const worst = Math.max(...data.map((s, i) => Math.abs((predicted[i] ?? 0) / s.seconds - 1)));
    expect(worst).toBeLessThan(0.05);
    const fresh = samples(40, 99, 0);
    const fit = fitStepTime(data);
    for (const s of fresh) expect(predictSeconds(fit, s.features) / s.seconds).toBeCloseTo(1, 1);
  });

  it('keeps every cost non-negative even when the data pull one below zero', () => {
    // Times that fall as nodes rise (impossible for a launch cost): the node cost stays at 0.
    const base = samples(1, 3, 0)[0]?.features as StepFeatures;
    const data = [100, 200, 300, 400].map((n, i) => ({
      features: { ...base, numNodes: n },
      seconds: 0.01 - i * 1e-4,
    }));
    expect(fitStepTime(data).costs.nodes).toBe(0);
  });

  it('names a sample with a non-positive time', () => {
    const f = samples(2, 5, 0);
    expect(() => fitStepTime([f[0] as FitSample, { ...(f[1] as FitSample), seconds: 0 }])).toThrow(
      /sample 1 has seconds 0/,
    );
    expect(() => fitStepTime([])).toThrow(/no samples/);
  });
});
