import { MemoryTierStore } from '@oicf/kv';
import { contractBlockId } from '@oicf/kv/testing';
import { FakeClock } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { LinkPacer } from './link-pacer.js';
import { PacedTierStore } from './paced-tier-store.js';

describe('LinkPacer', () => {
  it('waits latency + bytes ÷ bandwidth minus the time the real copy already took', async () => {
    const clock = new FakeClock(100);
    const pacer = new LinkPacer({ bandwidthBytesPerSecond: 1e6, latencySeconds: 0.01 }, clock);
    // 500 kB at 1 MB/s = 0.5 s on the link + 0.01 s latency = done at 100.51.
    // The copy took 0.2 s (the clock says 100.2 when finish is called), so 0.31 s are left.
    await clock.advance(0.2);
    let done = false;
    const finished = pacer.finish(100, 500_000).then(() => {
      done = true;
    });
    await clock.advance(0.3);
    expect(done).toBe(false);
    await clock.advance(0.01);
    await finished;
    expect(done).toBe(true);
    expect(pacer.sleptSeconds).toBeCloseTo(0.31, 12);
  });

  it('serialises transfers on the link', () => {
    const pacer = new LinkPacer({ bandwidthBytesPerSecond: 1e6, latencySeconds: 0.01 }, new FakeClock());
    // Both start at t = 0: the second's bytes go on the link after the first's (at 1.0 s).
    expect(pacer.reserve(0, 1e6)).toBeCloseTo(1.01, 12);
    expect(pacer.reserve(0, 1e6)).toBeCloseTo(2.01, 12);
    // One starting after the link went idle is not delayed by the past.
    expect(pacer.reserve(10, 5e5)).toBeCloseTo(10.51, 12);
  });

  it('does not sleep below the timer granularity but carries the debt', async () => {
    const clock = new FakeClock();
    const pacer = new LinkPacer({ bandwidthBytesPerSecond: 1e9, latencySeconds: 0 }, clock);
    // 0.5 ms each: the first two are not slept (0.5 ms, then 1.0 ms owed → slept once ≥ 1 ms).
    await pacer.finish(0, 500_000);
    expect(pacer.sleptSeconds).toBe(0);
    const second = pacer.finish(0, 500_000);
    await clock.advance(0.001);
    await second;
    expect(pacer.sleptSeconds).toBeCloseTo(0.001, 12);
  });
});

describe('PacedTierStore', () => {
  it('paces puts and hits on separate directions, not misses', async () => {
    const clock = new FakeClock();
    const store = new PacedTierStore(
      new MemoryTierStore('cxl', 1e9),
      { bandwidthBytesPerSecond: 1e6, latencySeconds: 0 },
      clock,
    );
    const id = contractBlockId(1);
    const put = store.put(id, new Uint8Array(100_000)); // 0.1 s at 1 MB/s
    await settle(); // let the put reach its pacing sleep before time moves
    await clock.advance(0.1);
    await put;
    const get = store.get(id);
    await settle();
    await clock.advance(0.1);
    expect((await get).kind).toBe('hit');
    expect([store.writePacer.sleptSeconds, store.readPacer.sleptSeconds]).toEqual([0.1, 0.1]);
    await store.get(contractBlockId(2));
    expect(store.readPacer.sleptSeconds).toBe(0.1);
  });
});

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
