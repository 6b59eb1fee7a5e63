import { describe, expect, it } from 'vitest';
import { MAX_SPARE_SLOTS, SpareSlots } from './spare-slots.js';

const extent = (offset: number, length = 4096) => ({ segmentId: 1, offset, length });

describe('SpareSlots', () => {
  it('asks only while another put is in flight, and hands a spare to the next put of that size', () => {
    const spares = new SpareSlots(() => 0);
    spares.started();
    expect(spares.ask()).toBe(false); // a lone put: its spare would only be handed back
    spares.started();
    expect(spares.ask()).toBe(true);
    spares.received(4096, { extent: extent(8192), ttlSeconds: 4 });
    expect(spares.take(8192)).toBeUndefined(); // another size
    expect(spares.take(4096)).toEqual(extent(8192));
    expect(spares.take(4096)).toBeUndefined();
  });

  it('uses a spare only within half of its TTL from its ask (here asked and answered at once), and drops stale ones', () => {
    let now = 1_000;
    const spares = new SpareSlots(() => now);
    spares.started();
    spares.started();
    spares.ask();
    spares.received(4096, { extent: extent(4096), ttlSeconds: 4 });
    spares.ask();
    spares.received(4096, { extent: extent(8192), ttlSeconds: 4 });
    now += 1_999; // 4 s TTL → usable until 2 s after the ask (the answer came at the same instant)
    expect(spares.take(4096)).toEqual(extent(8192));
    now += 1;
    expect(spares.take(4096)).toBeUndefined();
    expect([spares.size, spares.bytes]).toEqual([0, 0]);
  });

  it('gives every spare back when no put is in flight at the check after the last one ends', () => {
    const spares = new SpareSlots(() => 0);
    spares.started();
    spares.started();
    spares.ask();
    spares.received(4096, { extent: extent(4096), ttlSeconds: 4 });
    spares.ask();
    spares.received(65536, { extent: extent(65536, 65536), ttlSeconds: 4 });
    expect([spares.size, spares.bytes]).toEqual([2, 4096 + 65536]);
    expect(spares.finished()).toBe(false); // one put still in flight
    expect(spares.drainIfIdle()).toEqual([]);
    expect(spares.finished()).toBe(true);
    spares.started(); // the writer's next put began before the check: it keeps its spares
    expect(spares.drainIfIdle()).toEqual([]);
    expect(spares.finished()).toBe(true);
    expect(spares.drainIfIdle()).toEqual([extent(4096), extent(65536, 65536)]);
    expect([spares.size, spares.bytes]).toEqual([0, 0]);
  });

  it('keeps or asks for at most MAX_SPARE_SLOTS, and a put that got no slot frees its ask', () => {
    const spares = new SpareSlots(() => 0);
    for (let i = 0; i < 2; i++) spares.started();
    for (let i = 0; i < MAX_SPARE_SLOTS; i++) expect(spares.ask()).toBe(true);
    expect(spares.ask()).toBe(false);
    spares.received(4096, undefined); // refused put, or no room in the arena
    expect(spares.ask()).toBe(true);
    // A slot shorter than the put, or without a TTL, is not kept.
    spares.received(8192, { extent: extent(4096), ttlSeconds: 4 });
    spares.received(4096, { extent: extent(8192), ttlSeconds: 0 });
    expect(spares.size).toBe(0);
  });

  it("counts half the TTL from the ask, not the ack: a late ack does not stretch it past the pool's reclaim", () => {
    // The pool allocates the spare between the ask (this put sent) and the ack, and reclaims it TTL after
    // allocating. Ask at 0, ack at 3,000 (a slow ack: the pool busy, the connection backed up), TTL 4 s:
    // the pool may have allocated at 0 and reclaimed at 4,000, so a write at 4,500 could land in an extent
    // another writer now holds. Usable until 0 + 4,000 / 2 = 2,000: already stale when it arrives.
    let now = 0;
    const spares = new SpareSlots(() => now);
    spares.started();
    spares.started();
    expect(spares.ask()).toBe(true);
    now = 3_000;
    spares.received(4096, { extent: extent(4096), ttlSeconds: 4 });
    now = 4_500;
    expect(spares.take(4096)).toBeUndefined();
    // An ack in time: ask at 10,000, ack at 11,000, usable until 10,000 + 2,000.
    now = 10_000;
    spares.ask();
    now = 11_000;
    spares.received(4096, { extent: extent(8192), ttlSeconds: 4 });
    now = 11_999;
    expect(spares.take(4096)).toEqual(extent(8192));
  });
});
