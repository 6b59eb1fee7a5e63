import type { ReplayRequestRecord } from '@oicf/report';
import { describe, expect, it } from 'vitest';
import { decodeBusySeconds, nextStepCost, unionSeconds } from './decode-loop.js';

const rec = (w: string, sent: number, ttft: number, e2e: number, status = 'ok'): ReplayRequestRecord =>
  ({
    sentSeconds: sent,
    ttftSeconds: ttft,
    e2eSeconds: e2e,
    status,
    routing: { decodeWorkerId: w },
  }) as unknown as ReplayRequestRecord;

describe('the decode loop per step', () => {
  it('unions overlapping and separate intervals', () => {
    // [0, 2] ∪ [1, 3] = [0, 3]: 3; [5, 6]: 1; [5.5, 5.8] inside: 0 → 4.
    expect(
      unionSeconds([
        [5, 6],
        [0, 2],
        [1, 3],
        [5.5, 5.8],
      ]),
    ).toBe(4);
    expect(unionSeconds([])).toBe(0);
  });

  it('sums each decode worker’s streaming time, from first token to the end, skipping failed requests', () => {
    // d0: sent 0, first token 1, end 4 → [1, 4]; sent 2, first token 2.5, end 5 → [4.5, 7]: 3 + 2.5 = 5.5.
    // d1: sent 0, [0.5, 1.5] → 1. The errored one on d1 (sent 10, [11, 20]) is not counted. Total 6.5.
    const run = {
      records: [rec('d0', 0, 1, 4), rec('d0', 2, 2.5, 5), rec('d1', 0, 0.5, 1.5), rec('d1', 10, 1, 10, 'error')],
    };
    expect(decodeBusySeconds(run)).toBeCloseTo(6.5, 12);
  });

  it('steps the per-step cost by the secant of the last two tries', () => {
    // No try yet: 0. One try (0 s → 10 ms a step), target 12 ms: slope 1 assumed → 2 ms.
    expect(nextStepCost(0.012, [])).toBe(0);
    expect(nextStepCost(0.012, [{ costSeconds: 0, loopSeconds: 0.01 }])).toBeCloseTo(0.002, 12);
    // Tries (0 → 10 ms), (2 ms → 14 ms): slope 2; target 12 ms from the last: 2 + (12 − 14) ÷ 2 = 1 ms.
    const tries = [
      { costSeconds: 0, loopSeconds: 0.01 },
      { costSeconds: 0.002, loopSeconds: 0.014 },
    ];
    expect(nextStepCost(0.012, tries)).toBeCloseTo(0.001, 12);
    // A target below what no cost gives: never negative.
    expect(nextStepCost(0.005, tries)).toBe(0);
  });
});
