import { describe, expect, it } from 'vitest';
import { InflightTracker } from './inflight.js';

describe('InflightTracker.reserve', () => {
  it('holds a request on its decode and prefill workers until released, each release counted once', () => {
    const inflight = new InflightTracker();
    const hold = inflight.reserve({ decodeWorkerId: 'd0', prefillWorkerId: 'p0', kvBytes: 500, prefillTokens: 40 });
    expect(inflight.get('d0')).toEqual({ numSequences: 1, kvBytes: 500, prefillTokens: 0 });
    expect(inflight.get('p0')).toEqual({ numSequences: 0, kvBytes: 0, prefillTokens: 40 });
    hold.prefillDone();
    hold.prefillDone(); // a second call must not go negative
    expect(inflight.get('p0').prefillTokens).toBe(0);
    hold.release();
    hold.release();
    expect(inflight.get('d0')).toEqual({ numSequences: 0, kvBytes: 0, prefillTokens: 0 });
    // The 500 B it held finished since d0's last report (none yet): they come off d0's next stale report.
    expect(inflight.releasedSinceReport('d0')).toBe(500);
    expect(inflight.totalSequences()).toBe(0);
  });

  it('puts the prefill tokens on the decode worker itself for local prefill, and release drops them', () => {
    const inflight = new InflightTracker();
    const hold = inflight.reserve({ decodeWorkerId: 'd0', prefillWorkerId: 'd0', kvBytes: 100, prefillTokens: 7 });
    expect(inflight.get('d0')).toEqual({ numSequences: 1, kvBytes: 100, prefillTokens: 7 });
    hold.release();
    expect(inflight.get('d0')).toEqual({ numSequences: 0, kvBytes: 0, prefillTokens: 0 });
  });
});
