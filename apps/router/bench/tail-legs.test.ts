import { describe, expect, it } from 'vitest';
import { firstAt, splitLegs } from './tail-legs.js';

describe('firstAt', () => {
  it('finds the first time at or after t', () => {
    expect(firstAt([1, 3, 3, 7], 0)).toBe(1);
    expect(firstAt([1, 3, 3, 7], 3)).toBe(3);
    expect(firstAt([1, 3, 3, 7], 3.5)).toBe(7);
    expect(firstAt([1, 3, 3, 7], 8)).toBeUndefined();
    expect(firstAt([], 0)).toBeUndefined();
  });
});

describe('splitLegs', () => {
  it('splits two requests on two connections into their five legs', () => {
    // Request 0 sent at 10 on connection 1: read 10.2, frame out 10.3, frame in 10.7, reply 10.8, done 11.0
    // (latency 1.0). Request 1 sent at 11 on connection 2: read 11.5, out 11.6, in 14.6, reply 14.9, done
    // 15.0 (latency 4.0).
    const legs = splitLegs({
      sentAtMs: [10, 11],
      latencyMs: [1, 4],
      httpReads: [
        [10.2, 1],
        [11.5, 2],
      ],
      planeWriteMs: [10.3, 11.6],
      planeReadMs: [10.7, 14.6],
      httpWritesMs: new Map([
        [1, [10.8]],
        [2, [14.9]],
      ]),
    });
    expect(legs.map((l) => l.i)).toEqual([0, 1]);
    // 0.2 = 10.2 − 10, 0.1 = 10.3 − 10.2, 0.4 = 10.7 − 10.3, 0.1 = 10.8 − 10.7, 0.2 = 11 − 10.8.
    expect(legs[0]?.legs.map((x) => +x.toFixed(6))).toEqual([0.2, 0.1, 0.4, 0.1, 0.2]);
    // 0.5 = 11.5 − 11, 0.1, 3.0 = 14.6 − 11.6 (the worker's leg), 0.3 = 14.9 − 14.6, 0.1 = 15 − 14.9.
    expect(legs[1]?.legs.map((x) => +x.toFixed(6))).toEqual([0.5, 0.1, 3, 0.3, 0.1]);
  });

  it('claims each HTTP read once, skips reads before the send, and leaves failed requests out', () => {
    // A read at 4 (before any send) is skipped; both sends at 5 get one read each (5.1 then 5.2); the second
    // request failed (NaN) but still claims its read, so request 2 (sent 6) gets the read at 6.3.
    const legs = splitLegs({
      sentAtMs: [5, 5, 6],
      latencyMs: [1, Number.NaN, 1],
      httpReads: [
        [4, 9],
        [5.1, 1],
        [5.2, 2],
        [6.3, 1],
      ],
      planeWriteMs: [5.15, 5.25, 6.35],
      planeReadMs: [5.5, 5.6, 6.6],
      httpWritesMs: new Map([[1, [5.7, 6.7]]]),
    });
    expect(legs.map((l) => l.i)).toEqual([0, 2]);
    // Request 2: 0.3 = 6.3 − 6, 0.05 = 6.35 − 6.3, 0.25 = 6.6 − 6.35, 0.1 = 6.7 − 6.6, 0.3 = 7 − 6.7.
    expect(legs[1]?.legs.map((x) => +x.toFixed(6))).toEqual([0.3, 0.05, 0.25, 0.1, 0.3]);
  });

  it('stops at the first request with no read left and skips one with no reply', () => {
    const legs = splitLegs({
      sentAtMs: [1, 2],
      latencyMs: [1, 1],
      httpReads: [[1.1, 1]],
      planeWriteMs: [1.2],
      planeReadMs: [1.5],
      httpWritesMs: new Map(), // no reply written
    });
    expect(legs).toEqual([]);
  });
});
