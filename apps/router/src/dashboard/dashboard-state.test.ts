import { describe, expect, it } from 'vitest';
import { routerTotals } from '../router-totals.js';
import { combineSamples, DashboardState, type TickInput, TRAIL_POINTS, type WorkerInput } from './dashboard-state.js';
import { decodePoint, type LoadFigures, prefillPoint, type ServedModel } from './worker-points.js';

// A served model with round figures, so every expected number is hand-derivable.
const MODEL: ServedModel = {
  id: 'm',
  weightPrecision: 'fp32',
  weightBytes: 40_000_000,
  kvBytesPerToken: 4096,
  decodeFlops: (batch, context) => batch * (1e6 + 1000 * context),
  prefillFlops: (tokens) => 2e6 * tokens,
};

const idle: LoadFigures = {
  numRunningSequences: 0,
  kvUsedBytes: 0,
  prefillSecondsPerToken: 0,
  prefillFixedSeconds: 0,
  decodeStepSeconds: 0,
  prefillIntensityFlopsPerByte: 0,
  decodeIntensityFlopsPerByte: 0,
};

describe('worker points', () => {
  it('places a decode worker at (weights + KV) ÷ batch, its counted OI, FLOPs ÷ step time', () => {
    // 2 sequences holding 8,192,000 KV bytes: 4,096,000 each = 1000 tokens of 4096 bytes.
    const p = decodePoint(
      {
        ...idle,
        numRunningSequences: 2,
        kvUsedBytes: 8_192_000,
        decodeStepSeconds: 0.01,
        decodeIntensityFlopsPerByte: 0.7,
      },
      MODEL,
    );
    // CF = 40,000,000 / 2 + 4,096,000 = 24,096,000; FLOPs 2 · (1e6 + 1000 · 1000) = 4e6 in 0.01 s = 4e8 FLOP/s.
    expect(p).toEqual({
      intensityFlopsPerByte: 0.7,
      capacityFootprintBytes: 24_096_000,
      flopsPerSecond: 4e8,
      batch: 2,
      contextTokens: 1000,
    });
  });

  it('has no decode point while nothing runs or before a step was sampled', () => {
    expect(decodePoint({ ...idle, decodeIntensityFlopsPerByte: 0.7 }, MODEL)).toBeNull();
    expect(decodePoint({ ...idle, numRunningSequences: 1, kvUsedBytes: 4096 }, MODEL)).toBeNull();
  });

  it('places a prefill at weights + the mean prompt’s KV, timed by the fitted line', () => {
    const load = {
      ...idle,
      prefillIntensityFlopsPerByte: 300,
      prefillFixedSeconds: 0.01,
      prefillSecondsPerToken: 0.0001,
    };
    // 500-token prompt: CF 40,000,000 + 500 · 4096 = 42,048,000; 1e9 FLOPs in 0.01 + 0.05 = 0.06 s.
    const p = prefillPoint(load, MODEL, 500);
    expect(p?.capacityFootprintBytes).toBe(42_048_000);
    expect(p?.flopsPerSecond).toBeCloseTo(1e9 / 0.06, 3);
    expect(prefillPoint(load, MODEL, 0)).toBeNull();
  });
});

function decodeWorker(load: Partial<LoadFigures>): WorkerInput {
  return {
    workerId: 'decode-0',
    role: 'decode',
    healthy: true,
    deviceId: 'this-machine',
    kvCapacityBytes: 1 << 28,
    load: { ...idle, ...load, numWaitingSequences: 0, kvCapacityBytes: 1 << 28 },
  };
}

describe('DashboardState', () => {
  it('turns router totals into per-tick rates and a 10-second window', () => {
    const totals = routerTotals();
    const state = new DashboardState(MODEL);
    const tick = (atSeconds: number, workers: WorkerInput[] = []): ReturnType<DashboardState['tick']> =>
      state.tick({ atSeconds, totals: totals.snapshot(), workers, pool: null } satisfies TickInput);
    expect(tick(100).rates).toBeNull();
    const finish = (ttftSeconds: number) =>
      totals.finished({
        ttftSeconds,
        interTokenSeconds: [0.02, 0.04],
        e2eSeconds: 1,
        numPromptTokens: 300,
        numCompletionTokens: 3,
        numCachedTokens: 0,
        cacheSource: 'none',
      });
    finish(0.5);
    finish(1.5);
    totals.rejected('slo');
    const s = tick(102);
    // Over 2 s: 6 tokens → 3 tokens/s; TTFT (0.5 + 1.5) / 2 = 1; TPOT (0.02 + 0.04) · 2 / 4 = 0.03.
    expect(s.rates).toMatchObject({ intervalSeconds: 2, numFinished: 2, numRejected: 1, generatedTokensPerSecond: 3 });
    expect(s.rates?.ttftMeanSeconds).toBeCloseTo(1, 12);
    expect(s.rates?.tpotMeanSeconds).toBeCloseTo(0.03, 12);
    expect(s.meanPromptTokens).toBe(300);
    const quiet = tick(103);
    expect(quiet.rates?.ttftMeanSeconds).toBeNull();
    // The window holds both ticks: still 2 finished over 3 s.
    expect(quiet.recent).toMatchObject({ intervalSeconds: 3, numFinished: 2, generatedTokensPerSecond: 2 });
    expect(combineSamples([])).toBeNull();
  });

  it('keeps a bounded trail per worker phase, only of moves, and forgets a worker that left', () => {
    const totals = routerTotals().snapshot();
    const state = new DashboardState(MODEL);
    const running = (kvUsedBytes: number) =>
      decodeWorker({ numRunningSequences: 1, kvUsedBytes, decodeIntensityFlopsPerByte: 0.7, decodeStepSeconds: 0.01 });
    for (let i = 1; i <= TRAIL_POINTS + 10; i++) {
      state.tick({ atSeconds: i, totals, workers: [running(4096 * i)], pool: null });
    }
    // The same position again does not extend the trail.
    state.tick({ atSeconds: 100, totals, workers: [running(4096 * (TRAIL_POINTS + 10))], pool: null });
    const trail = state.trailsByKey().get('decode-0 decode') ?? [];
    expect(trail).toHaveLength(TRAIL_POINTS);
    // The newest 30 of 40 positions: contexts 11 … 40 tokens.
    expect([trail[0]?.contextTokens, trail.at(-1)?.contextTokens]).toEqual([11, 40]);
    state.tick({ atSeconds: 101, totals, workers: [], pool: null });
    expect(state.trailsByKey().size).toBe(0);
  });

  it('lists the decode workers’ KV memory and the pool’s tiers with their hit and miss blocks', () => {
    const state = new DashboardState(MODEL);
    const s = state.tick({
      atSeconds: 1,
      totals: routerTotals().snapshot(),
      workers: [decodeWorker({ kvUsedBytes: 1 << 20 })],
      pool: {
        tiers: [
          { tier: 'dram', usedBytes: 10, capacityBytes: 100, numHits: 7 },
          { tier: 'disk', usedBytes: 0, capacityBytes: 1000, numHits: 1 },
        ],
        numMisses: 2,
      },
    });
    expect(s.tiers).toEqual([
      { name: 'decode-0 HBM', usedBytes: 1 << 20, capacityBytes: 1 << 28 },
      { name: 'pool dram', usedBytes: 10, capacityBytes: 100 },
      { name: 'pool disk', usedBytes: 0, capacityBytes: 1000 },
    ]);
    expect(s.pool).toEqual({ hitBlocks: 8, missBlocks: 2 });
  });
});
