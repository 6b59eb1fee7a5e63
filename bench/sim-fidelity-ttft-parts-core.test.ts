import type { ReplayRequestRecord, RoutingInfo } from '@oicf/report';
import { describe, expect, it } from 'vitest';
import { fifoReplay, matchedRemote, ttftParts } from './sim-fidelity-ttft-parts-core.js';

const routing = (o: Partial<RoutingInfo>): RoutingInfo => ({
  serverRequestId: null,
  policy: null,
  reason: 'remote-prefill',
  prefillWorkerId: 'p0',
  decodeWorkerId: 'd0',
  cacheSource: null,
  numCachedTokens: 0,
  predictedTtftSeconds: null,
  serverTtftSeconds: null,
  serverE2eSeconds: null,
  kvBytesMoved: null,
  queueSeconds: null,
  prefillSeconds: null,
  kvTransferSeconds: null,
  decodeSeconds: null,
  ...o,
});
const record = (id: string, ttft: number, g: Partial<RoutingInfo>): ReplayRequestRecord =>
  ({ requestId: id, status: 'ok', ttftSeconds: ttft, routing: routing(g) }) as unknown as ReplayRequestRecord;

describe('ttftParts', () => {
  it('splits a remote prefill’s TTFT into the client’s share, the queues, compute, transfer and the rest', () => {
    // TTFT 1.000 s at the client, 0.980 at the router: client 0.020. Router: queue 0.500 + prefill 0.300 +
    // transfer 0.050 = 0.850, so 0.980 − 0.850 = 0.130 is the rest.
    const p = ttftParts(
      record('a', 1, { serverTtftSeconds: 0.98, queueSeconds: 0.5, prefillSeconds: 0.3, kvTransferSeconds: 0.05 }),
    );
    expect(p?.client).toBeCloseTo(0.02, 12);
    expect(p?.rest).toBeCloseTo(0.13, 12);
  });

  it('matches only requests both sides prefilled remotely', () => {
    const t = { serverTtftSeconds: 1, queueSeconds: 0, prefillSeconds: 1, kvTransferSeconds: 0 };
    const real = [record('a', 1, t), record('b', 1, t)];
    const twin = [record('a', 1, t), record('b', 1, { ...t, reason: 'local-prefill-short-suffix' })];
    expect([...matchedRemote(real, twin).keys()]).toEqual(['a']);
  });
});

describe('fifoReplay', () => {
  it('serves each worker’s requests in arrival order, each from max(arrival, the previous end)', () => {
    // p0: a at 0 for 1 s → ends 1 (TTFT 1); b at 0.5 waits until 1, 2 s → 3 (TTFT 2.5); c at 4, 1 s → 5 (TTFT 1).
    // p1: d at 0.5 for 0.25 s → 0.75 (TTFT 0.25). e (no worker) is left out.
    const got = fifoReplay([
      { id: 'b', arrivalSeconds: 0.5, worker: 'p0', serviceSeconds: 2 },
      { id: 'a', arrivalSeconds: 0, worker: 'p0', serviceSeconds: 1 },
      { id: 'c', arrivalSeconds: 4, worker: 'p0', serviceSeconds: 1 },
      { id: 'd', arrivalSeconds: 0.5, worker: 'p1', serviceSeconds: 0.25 },
      { id: 'e', arrivalSeconds: 0, worker: undefined, serviceSeconds: 9 },
    ]);
    expect(Object.fromEntries(got)).toEqual({ a: 1, b: 2.5, c: 1, d: 0.25 });
  });
});
