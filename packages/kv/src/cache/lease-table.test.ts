import { describe, expect, it } from 'vitest';
import { LeaseTable } from './lease-table.js';

describe('LeaseTable', () => {
  it('pins blocks until release', () => {
    const t = new LeaseTable();
    const lease = t.grant(['a', 'b'], 10, 100);
    expect(lease).toEqual({ leaseId: 'lease-1', keys: ['a', 'b'], expiresAtSeconds: 110 });
    expect(t.isLeased('a')).toBe(true);
    expect(t.release('lease-1')).toBe(true);
    expect(t.release('lease-1')).toBe(false);
    expect(t.isLeased('a')).toBe(false);
    expect(t.numExpiries).toBe(0);
  });

  it('expires at exactly grant time + ttl on the injected clock, and counts it', () => {
    const t = new LeaseTable();
    t.grant(['a'], 5, 0); // expires at 5
    t.grant(['b'], 8, 0); // expires at 8
    expect(t.expire(4.999)).toEqual([]);
    expect(t.isLeased('a')).toBe(true);
    expect(t.expire(5)).toEqual(['lease-1']);
    expect(t.isLeased('a')).toBe(false);
    expect(t.isLeased('b')).toBe(true);
    expect(t.expire(100)).toEqual(['lease-2']);
    expect(t.numExpiries).toBe(2);
    // A released lease never counts as expired.
    t.grant(['c'], 1, 100);
    t.release('lease-3');
    t.expire(200);
    expect(t.numExpiries).toBe(2);
  });

  it('keeps a block pinned while any of its leases is live', () => {
    const t = new LeaseTable();
    t.grant(['a'], 5, 0);
    t.grant(['a', 'a'], 50, 0, 'handoff-7');
    t.expire(10);
    expect(t.isLeased('a')).toBe(true);
    expect(t.get('handoff-7')?.keys).toEqual(['a']);
    t.release('handoff-7');
    expect(t.isLeased('a')).toBe(false);
  });

  it('rejects a non-positive ttl and a duplicate id', () => {
    const t = new LeaseTable();
    expect(() => t.grant(['a'], 0, 0)).toThrow(/ttlSeconds must be a finite number > 0/);
    t.grant(['a'], 1, 0, 'x');
    expect(() => t.grant(['a'], 1, 0, 'x')).toThrow("lease 'x' already exists");
  });
});
