import { describe, expect, it } from 'vitest';
import type { RunQuality } from './run-quality.js';
import { clusterAgreement, judgeByState, type StateRepeat } from './state-repeats.js';

// A clean run: our compute thread never waited, no co-runner (run-quality.ts isCleanRun).
const CLEAN: RunQuality = {
  preemptions: 0,
  stallFraction: 0,
  waitFraction: 0,
  computeWaitFraction: 0,
  otherCores: 0,
};
const repeat = (ms: number, state: StateRepeat['state']): StateRepeat => ({
  callRunsSeconds: [ms / 1e3, ms / 1e3, ms / 1e3],
  quality: [CLEAN, CLEAN, CLEAN],
  state,
});

describe('judgeByState', () => {
  it('judges each state on its own repeats: clean in both where the pooled point is not', () => {
    // cached 7.5, 7.6, 7.7 ms; uncached 11.0, 11.2, 11.4 ms. Pooled: median of the six (7.7 + 11.0)
    // / 2 = 9.35 ms, and none lies within ±5 % of it (8.88–9.82 ms): not clean. Per state: medians
    // 7.6 and 11.2 ms, every repeat within ±5 %: clean in both.
    const rs = [
      repeat(7.5, 'cached'),
      repeat(11.0, 'uncached'),
      repeat(7.6, 'cached'),
      repeat(11.2, 'uncached'),
      repeat(7.7, 'cached'),
      repeat(11.4, 'uncached'),
    ];
    const j = judgeByState(rs);
    expect(j.byState.cached?.clean).toBe(true);
    expect(j.byState.cached?.seconds).toBeCloseTo(7.6e-3, 12);
    expect(j.byState.uncached?.clean).toBe(true);
    expect(j.byState.uncached?.seconds).toBeCloseTo(11.2e-3, 12);
  });

  it('leaves a state with too few repeats unjudged, and counts mixed and unknown repeats in neither', () => {
    // cached: 3 agreeing repeats (clean); uncached: 2 (fewer than 3 agreeing: not clean).
    const rs = [
      repeat(7.5, 'cached'),
      repeat(7.6, 'cached'),
      repeat(7.7, 'cached'),
      repeat(11.0, 'uncached'),
      repeat(11.2, 'uncached'),
      repeat(9.0, 'mixed'),
      repeat(9.5, null),
    ];
    const j = judgeByState(rs);
    expect(j.byState.cached?.clean).toBe(true);
    expect(j.byState.uncached?.clean).toBe(false);
    expect(j.byState.uncached?.repeats).toHaveLength(2);
    expect([j.numMixed, j.numUnknown]).toEqual([1, 1]);
  });

  it('has no entry for a state the point never ran in', () => {
    expect(judgeByState([repeat(7.5, 'cached')]).byState.uncached).toBeUndefined();
  });
});

describe('clusterAgreement', () => {
  it('counts each cluster of repeat times by the state the probe recorded', () => {
    // Times 7.5, 7.6, 7.7 | 11.0, 11.1, 11.2 ms (the split is over every repeat's time: Otsu cuts
    // at the only wide gap, ln(11.0 / 7.7) = 0.357 against ≤ 0.013 between neighbours within the
    // clusters). Fast: cached, cached, uncached; slow: uncached, cached, and the mixed repeat, which
    // is counted in neither state.
    const a = clusterAgreement([
      { seconds: 7.5e-3, state: 'cached' },
      { seconds: 7.6e-3, state: 'cached' },
      { seconds: 7.7e-3, state: 'uncached' },
      { seconds: 11.0e-3, state: 'uncached' },
      { seconds: 11.2e-3, state: 'cached' },
      { seconds: 11.1e-3, state: 'mixed' },
    ]);
    expect(a).toEqual({ fastCached: 2, fastUncached: 1, slowCached: 1, slowUncached: 1 });
  });
});
