import { describe, expect, it } from 'vitest';
import { ZERO_FEATURES } from './feature-vector.js';
import { fitStepTimeByState, leaveOneOutByState, type StateSample } from './fit-by-state.js';
import { fitStepTime, predictSeconds } from './fit-step-time.js';

// Hand-made machine: every step costs 100 µs per session.run (shared by both states) plus its KV
// read at 20 GB/s when the host keeps it cached (5e-11 s/B) and 8 GB/s when not (1.25e-10 s/B).
const RUN = 100e-6;
const CACHED_KV = 1 / 20e9;
const UNCACHED_KV = 1 / 8e9;
const step = (kvReadBytes: number) => ({ ...ZERO_FEATURES, numRuns: 1, kvReadBytes });
const sample = (state: 'cached' | 'uncached', kv: number, seconds: number): StateSample => ({
  features: step(kv),
  seconds,
  state,
});
const NO_KNEES = { cacheBytes: [], kvCacheBytes: [] };

describe('fitStepTimeByState', () => {
  it('fits the KV rate per state and the per-run cost once for both', () => {
    // uncached: 1e8 B → 0.1 ms + 1e8 · 1.25e-10 s = 12.6 ms; 2e8 B → 0.1 + 25 = 25.1 ms (slope
    // 1.25e-10 s/B, intercept 0.1 ms). cached, one sample: 1e8 B → 0.1 + 5 = 5.1 ms. Alone it could
    // not split call cost from KV cost; with the shared per-run cost from the uncached samples its
    // KV cost is (5.1 − 0.1) ms ÷ 1e8 B = 5e-11 s/B.
    const fit = fitStepTimeByState(
      [sample('uncached', 1e8, 12.6e-3), sample('uncached', 2e8, 25.1e-3), sample('cached', 1e8, 5.1e-3)],
      NO_KNEES,
    );
    expect(fit.byState.cached.costs.runs).toBeCloseTo(RUN, 9);
    expect(fit.byState.uncached.costs.runs).toBeCloseTo(RUN, 9);
    expect(fit.byState.cached.costs.kvReadBytes / CACHED_KV).toBeCloseTo(1, 6);
    expect(fit.byState.uncached.costs.kvReadBytes / UNCACHED_KV).toBeCloseTo(1, 6);
    expect(fit.numSamples).toEqual({ cached: 1, uncached: 2 });
    // cached at 4e8 B: 0.1 ms + 4e8 · 5e-11 s = 20.1 ms; uncached: 0.1 + 50 = 50.1 ms.
    expect(predictSeconds(fit.byState.cached, step(4e8))).toBeCloseTo(20.1e-3, 9);
    expect(predictSeconds(fit.byState.uncached, step(4e8))).toBeCloseTo(50.1e-3, 9);
    expect(fit.byState.cached.fittedColumns).toEqual(['runs', 'kvReadBytes']);
  });

  it('prices a point the pooled fit cannot: one model over both states misses both', () => {
    // The same 1e8-B step at 5.1 and 12.6 ms: no single price meets both within 40 % (their ratio
    // is 2.47), while the per-state fit meets each exactly.
    const data = [
      sample('cached', 1e8, 5.1e-3),
      sample('uncached', 1e8, 12.6e-3),
      sample('cached', 2e8, 10.1e-3),
      sample('uncached', 2e8, 25.1e-3),
    ];
    expect(fitStepTime(data, NO_KNEES).maxRelativeError).toBeGreaterThan(0.4);
    expect(fitStepTimeByState(data, NO_KNEES).maxRelativeError).toBeLessThan(1e-9);
  });

  it('fits the KV capacity per state (a knee in the cached state only)', () => {
    // cached: KV read at 20 GB/s up to 64 MiB and 8 GB/s beyond (5e-11 + 7.5e-11 s/B extra):
    //   16 MiB: 0.1 ms + 16,777,216 · 5e-11 = 0.938861 ms
    //   48 MiB: 0.1 + 50,331,648 · 5e-11 = 2.616582 ms
    //   96 MiB: 0.1 + 100,663,296 · 5e-11 + 33,554,432 · 7.5e-11 = 0.1 + 5.033165 + 2.516582 = 7.649747 ms
    //  192 MiB: 0.1 + 201,326,592 · 5e-11 + 134,217,728 · 7.5e-11 = 0.1 + 10.066330 + 10.066330 = 20.232659 ms
    // uncached: 8 GB/s throughout, no knee: 16 MiB 0.1 + 2.097152 = 2.197152 ms, 96 MiB 0.1 + 12.582912
    //   = 12.682912 ms.
    const MiB = 2 ** 20;
    const data = [
      sample('cached', 16 * MiB, 0.938861e-3),
      sample('cached', 48 * MiB, 2.616582e-3),
      sample('cached', 96 * MiB, 7.649747e-3),
      sample('cached', 192 * MiB, 20.232659e-3),
      sample('uncached', 16 * MiB, 2.197152e-3),
      sample('uncached', 96 * MiB, 12.682912e-3),
    ];
    const fit = fitStepTimeByState(data, { cacheBytes: [], kvCacheBytes: [32 * MiB, 64 * MiB, 128 * MiB] });
    expect(fit.byState.cached.kvCacheBytes).toBe(64 * MiB);
    expect(fit.byState.cached.costs.kvSpillBytes / 7.5e-11).toBeCloseTo(1, 4);
    expect(fit.byState.uncached.kvCacheBytes).toBeNull();
    expect(fit.byState.uncached.costs.kvReadBytes / UNCACHED_KV).toBeCloseTo(1, 4);
    // cached at 128 MiB: 0.1 ms + 134,217,728 · 5e-11 + 67,108,864 · 7.5e-11 = 0.1 + 6.710886 + 5.033165
    //   = 11.844051 ms.
    expect(predictSeconds(fit.byState.cached, step(128 * MiB)) / 11.844051e-3).toBeCloseTo(1, 5);
  });

  it('leaves one out per state: each sample priced in its own state by a fit to the others', () => {
    // Exact data (the first test's machine) at 1e8, 2e8, 4e8 B in each state: every left-out sample
    // is priced at its true time by the others (the shared run cost and the state's KV rate are
    // determined without it).
    const truth = (state: 'cached' | 'uncached', kv: number) =>
      sample(state, kv, RUN + kv * (state === 'cached' ? CACHED_KV : UNCACHED_KV));
    const data = [1e8, 2e8, 4e8].flatMap((kv) => [truth('cached', kv), truth('uncached', kv)]);
    const loo = leaveOneOutByState(data, NO_KNEES);
    loo.forEach((p, i) => {
      const s = data[i];
      if (s === undefined) throw new Error('unreachable');
      expect(p[s.state] / s.seconds).toBeCloseTo(1, 6);
    });
    // The other state's price of the cached 4e8-B step: 0.1 ms + 4e8 · 1.25e-10 s = 50.1 ms.
    expect(loo[4]?.uncached).toBeCloseTo(50.1e-3, 9);
  });

  it('refuses samples of one state only, naming the missing state', () => {
    expect(() => fitStepTimeByState([sample('cached', 1e8, 5.1e-3)], NO_KNEES)).toThrow(/no uncached samples/);
  });
});
