import { describe, expect, it } from 'vitest';
import { SessionTable } from './session-table.js';

describe('SessionTable', () => {
  it('retains blocks until last retain + ttl, and counts the expiry', () => {
    const s = new SessionTable();
    expect(s.retain('agent-1', ['a', 'b'], 30, 0)).toBe(30);
    // Next turn at t = 20 adds its blocks and restarts the TTL: now expires at 50.
    expect(s.retain('agent-1', ['c'], 30, 20)).toBe(50);
    expect(s.expire(30)).toEqual([]);
    expect(s.isRetained('a')).toBe(true);
    expect(s.expire(50)).toEqual(['agent-1']);
    expect(['a', 'b', 'c'].map((k) => s.isRetained(k))).toEqual([false, false, false]);
    expect(s.numExpiries).toBe(1);
  });

  it('keeps a block shared by two sessions until both are gone', () => {
    const s = new SessionTable();
    s.retain('x', ['system'], 10, 0);
    s.retain('y', ['system'], 100, 0);
    s.expire(10);
    expect(s.isRetained('system')).toBe(true);
    expect(s.release('y')).toBe(true);
    expect(s.isRetained('system')).toBe(false);
    expect(s.numExpiries).toBe(1);
  });

  it('honours a shorter ttl on refresh', () => {
    const s = new SessionTable();
    s.retain('x', ['a'], 100, 0);
    s.retain('x', [], 5, 1);
    expect(s.expiresAt('x')).toBe(6);
    expect(s.expire(6)).toEqual(['x']);
  });
});
