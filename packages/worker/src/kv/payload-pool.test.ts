import { describe, expect, it } from 'vitest';
import { PayloadPool } from './payload-pool.js';

describe('PayloadPool', () => {
  it('carves aligned chunks of power-of-two classes from one slab and reuses released chunks', () => {
    const pool = new PayloadPool(32 * 1024);
    const a = pool.acquire(5000); // class 8192 at slab offset 0
    const b = pool.acquire(100); // class 4096 at offset 8192
    expect([a.byteLength, a.byteOffset, b.byteOffset]).toEqual([5000, 0, 8192]);
    expect(a.buffer).toBe(b.buffer); // one slab, no per-payload ArrayBuffer
    expect(pool.carvedBytes).toBe(12 * 1024);
    pool.release(a);
    expect(pool.pooledBytes).toBe(8192);
    const c = pool.acquire(8000); // same class: a's chunk comes back
    expect([c.buffer, c.byteOffset]).toEqual([a.buffer, 0]);
    expect(pool.pooledBytes).toBe(0);
  });

  it('falls back to plain buffers when the slab is full; foreign buffers are ignored on release', () => {
    const pool = new PayloadPool(16 * 1024);
    const x = pool.acquire(16 * 1024); // the whole slab
    const z = pool.acquire(4096); // slab full: a plain buffer
    expect([z.buffer === x.buffer, z.byteLength, pool.carvedBytes]).toEqual([false, 4096, 16 * 1024]);
    pool.release(z);
    pool.release(Uint8Array.of(1, 2));
    expect(pool.pooledBytes).toBe(0);
    pool.release(x);
    // A 3-byte copy needs a 4 KiB chunk: the slab is all carved and the free chunk is of the 16 KiB
    // class, so it gets a plain buffer and the 16 KiB chunk stays free.
    const copy = pool.copy(Uint8Array.of(7, 8, 9));
    expect([Array.from(copy), copy.buffer === x.buffer, pool.pooledBytes]).toEqual([[7, 8, 9], false, 16 * 1024]);
  });

  it('drops an idle slab only once it stayed idle trimAfterSeconds; a use in between restarts the wait', () => {
    const pool = new PayloadPool(16 * 1024, 10);
    const a = pool.acquire(4096);
    expect(pool.trimIfIdle(0)).toBe(false); // a is out: not idle
    pool.release(a);
    expect(pool.trimIfIdle(1)).toBe(false); // idle since t = 1
    expect(pool.trimIfIdle(10.9)).toBe(false); // 9.9 s < 10 s
    pool.release(pool.acquire(4096)); // used again at t ≈ 10.9: the wait starts over
    expect(pool.trimIfIdle(11)).toBe(false); // idle since t = 11
    expect(pool.trimIfIdle(20.9)).toBe(false);
    expect([pool.trimIfIdle(21), pool.carvedBytes]).toEqual([true, 0]); // 10 s idle: the slab is gone
  });
});
