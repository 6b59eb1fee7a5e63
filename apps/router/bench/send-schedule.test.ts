import { describe, expect, it } from 'vitest';
import { dueMs, lateDuringPauses, summariseLags } from './send-schedule.js';

describe('dueMs', () => {
  it('spreads two paths half a period apart, each one period between its own sends', () => {
    // start 100 ms, period 1 ms, 2 paths: k = 0 → 100 (path 0, request 0), k = 1 → 100.5 (path 1, request 0),
    // k = 2 → 101 (path 0, request 1), k = 5 → 100 + 2·1 + 0.5 = 102.5 (path 1, request 2).
    expect([0, 1, 2, 3, 5].map((k) => dueMs(100, 1, 2, k))).toEqual([100, 100.5, 101, 101.5, 102.5]);
  });
  it('puts a single path one period apart', () => {
    // 500/s → period 2 ms: k = 3 → 10 + 3·2 = 16.
    expect(dueMs(10, 2, 1, 3)).toBe(16);
  });
});

describe('summariseLags', () => {
  it('counts late sends, the stalls they came in and the longest stall', () => {
    // Period 1 ms. Lags: two on time, then a stall (the client ran again at 3.2 ms after the first of three
    // sends due 0.5 ms apart: lags 3.2, 2.7, 2.2), on time, then a lone late send (1.5), then on time.
    // Late (> 1 ms): 3.2, 2.7, 2.2, 1.5 → 4 late in 2 runs; the longest run opened with 3.2.
    const lags = [0.1, 0.2, 3.2, 2.7, 2.2, 0.3, 1.5, 0.05, 0.0, 0.4];
    const s = summariseLags(lags, 1);
    // Sorted: 0, 0.05, 0.1, 0.2, 0.3, 0.4, 1.5, 2.2, 2.7, 3.2; nearest rank p50 = 5th = 0.3, p99 = 10th = 3.2.
    expect(s).toEqual({ sends: 10, late: 4, p50Ms: 0.3, p99Ms: 3.2, maxMs: 3.2, stalls: 2, longestStallMs: 3.2 });
  });
  it('does not count a lag of exactly one period as late', () => {
    expect(summariseLags([1, 1, 1.0001], 1)).toMatchObject({ late: 1, stalls: 1 });
  });
  it('reports no lag figures for no sends', () => {
    const s = summariseLags([], 1);
    expect(s.late).toBe(0);
    expect(s.p99Ms).toBeNaN();
    expect(s.maxMs).toBeNaN();
  });
});

describe('lateDuringPauses', () => {
  it('charges a late send to a pause that overlaps the time between its due time and its send', () => {
    // One path, period 1 ms, start 0: send k due at k ms.
    // k = 2: due 2, lag 3 → out at 5; a GC pause [2.5, 4.5] overlaps [2, 5] → charged.
    // k = 6: due 6, lag 1.5 → out at 7.5; no pause in [6, 7.5] → not charged.
    // k = 8: due 8, lag 0.2 → on time, never charged even though the pause [8, 9] overlaps.
    const lags = [0, 0, 3, 0, 0, 0, 1.5, 0, 0.2];
    const due = (k: number) => dueMs(0, 1, 1, k);
    expect(
      lateDuringPauses(due, lags, 1, [
        [2.5, 2],
        [8, 1],
      ]),
    ).toBe(1);
    // A pause that ended before the due time, or began after the send, explains nothing: [0, 1.9], [5.1, 0.5].
    expect(
      lateDuringPauses(due, lags, 1, [
        [0, 1.9],
        [5.1, 0.5],
      ]),
    ).toBe(0);
  });
});
