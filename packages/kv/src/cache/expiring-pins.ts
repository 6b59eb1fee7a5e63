import type { BlockKey } from '../policies/policy.js';
import { MinHeap } from '../util/min-heap.js';

/**
 * Named groups of pinned block keys, each with an expiry: the bookkeeping shared by leases (hard pins,
 * lease-table.ts) and agent sessions (soft pins, session-table.ts). A key is pinned while at least one
 * live group holds it. Expiry is lazy: `expire(now)` drops every group whose expiry ≤ now. A group's
 * expiry may move later (a session's refresh); the heap keeps the stale entry and skips it when popped.
 * Times are absolute seconds on the caller's clock.
 */
export class ExpiringPins {
  private readonly groups = new Map<string, { keys: Set<BlockKey>; expiresAtSeconds: number }>();
  private readonly pinCounts = new Map<BlockKey, number>();
  private readonly byExpiry = new MinHeap<string>();
  private expiries = 0;

  /** Groups that lapsed without being released (monotonic). */
  get numExpiries(): number {
    return this.expiries;
  }

  get numGroups(): number {
    return this.groups.size;
  }

  /** Distinct keys held by at least one group. */
  get numPinnedKeys(): number {
    return this.pinCounts.size;
  }

  has(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  expiresAt(groupId: string): number | undefined {
    return this.groups.get(groupId)?.expiresAtSeconds;
  }

  /** Adds `keys` to the group (created when new; a key already in it counts once) and sets its expiry. */
  pin(groupId: string, keys: Iterable<BlockKey>, expiresAtSeconds: number): void {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = { keys: new Set(), expiresAtSeconds };
      this.groups.set(groupId, group);
    }
    for (const key of keys) {
      if (group.keys.has(key)) continue;
      group.keys.add(key);
      this.pinCounts.set(key, (this.pinCounts.get(key) ?? 0) + 1);
    }
    group.expiresAtSeconds = expiresAtSeconds;
    this.byExpiry.push(expiresAtSeconds, groupId);
  }

  /** Drops a group now; false when unknown (never pinned, released or expired). */
  release(groupId: string): boolean {
    const group = this.groups.get(groupId);
    if (group === undefined) return false;
    this.drop(groupId, group.keys);
    return true;
  }

  /** Drops every group with expiresAtSeconds ≤ now, counting each as an expiry; returns their ids. */
  expire(nowSeconds: number): string[] {
    const expired: string[] = [];
    for (;;) {
      const top = this.byExpiry.pop();
      if (top === undefined) break;
      if (top.priority > nowSeconds) {
        this.byExpiry.push(top.priority, top.value);
        break;
      }
      const group = this.groups.get(top.value);
      // Stale heap item: the group was refreshed (later expiry) or already gone.
      if (group === undefined || group.expiresAtSeconds !== top.priority) continue;
      this.drop(top.value, group.keys);
      this.expiries++;
      expired.push(top.value);
    }
    return expired;
  }

  isPinned(key: BlockKey): boolean {
    return this.pinCounts.has(key);
  }

  private drop(groupId: string, keys: Iterable<BlockKey>): void {
    this.groups.delete(groupId);
    for (const key of keys) {
      const n = (this.pinCounts.get(key) ?? 1) - 1;
      if (n > 0) this.pinCounts.set(key, n);
      else this.pinCounts.delete(key);
    }
  }
}
