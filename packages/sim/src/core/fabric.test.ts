import { describe, expect, it } from 'vitest';
import type { SimCluster, SimLinkSpec } from '../cluster/sim-cluster.js';
import { HAND_CLUSTER } from '../testing/hand-cluster.js';
import { Fabric } from './fabric.js';
import { FifoLink } from './fifo-link.js';

const paced = (bandwidth: number): SimLinkSpec => ({
  bandwidthBytesPerSecond: bandwidth,
  latencySeconds: 0.001,
  bytesPerToken: 1000,
  sharing: 'independent',
});

describe('Fabric', () => {
  it('on target hardware: the workers’ links and a paced tier; the bytes arrive when both are done', () => {
    // p0 and d0 links: 1 MB/s, 1 ms, 1,000 B per token (hand cluster). A cxl tier read at 2 MB/s, 0.5 ms.
    const cxl = new FifoLink('cxl read', { bandwidthBytesPerSecond: 2e6, latencySeconds: 0.0005 });
    const f = new Fabric(HAND_CLUSTER, { read: new Map([['cxl', cxl]]), write: new Map() });
    // 10 tokens pool → p0 (the pool has no link of its own): p0's in link 10 kB → 10 ms + 1 ms = 0.011;
    // the tier read of 40 kB (its own bytes) at 2 MB/s → 20 ms + 0.5 ms = 0.0205. Both: 0.0205.
    const t = f.transfer({
      from: { kind: 'pool' },
      to: { kind: 'worker', workerId: 'p0' },
      numTokens: 10,
      readySeconds: 0,
      tierReads: new Map([['cxl', 40_000]]),
    });
    expect(t.arrivedSeconds).toBeCloseTo(0.0205, 12);
    expect(t.doneSeconds).toBeCloseTo(0.0205, 12);
  });

  it('on the local cluster: bytes arrive over the loopback, the sender returns after its paced link', () => {
    // Emulated workers: 50 kB/s paced links (each transfer alone); loopback 1 MB/s, 0.2 ms; 100 B real per token.
    const cluster: SimCluster = {
      ...HAND_CLUSTER,
      workers: HAND_CLUSTER.workers.map((w) => ({ ...w, link: paced(50_000) })),
      host: {
        httpSeconds: 0,
        rpcSeconds: 0,
        loopback: { bandwidthBytesPerSecond: 1e6, latencySeconds: 0.0002 },
        kvBytesPerToken: 100,
        label: 'test',
      },
    };
    const f = new Fabric(cluster, { read: new Map(), write: new Map() });
    const handoff = () =>
      f.transfer({
        from: { kind: 'worker', workerId: 'p0' },
        to: { kind: 'worker', workerId: 'd0' },
        numTokens: 10,
        readySeconds: 0,
      });
    // Real bytes: 1 kB over the loopback → 1 ms + 0.2 ms. Paced: 10 kB at 50 kB/s → 0.2 s + 1 ms.
    const a = handoff();
    expect(a.arrivedSeconds).toBeCloseTo(0.0012, 12);
    expect(a.doneSeconds).toBeCloseTo(0.201, 12);
    // A second one at once: the loopback queues (FIFO: 1–2 ms on the wire, done 2.2 ms); the paced link
    // does not (each transfer priced alone, as the worker's pacer does).
    const b = handoff();
    expect(b.arrivedSeconds).toBeCloseTo(0.0022, 12);
    expect(b.doneSeconds).toBeCloseTo(0.201, 12);
  });
});
