import { KvError } from '../errors.js';
import type { BlockKey } from '../policies/policy.js';
import { MinHeap } from '../util/min-heap.js';

/**
 * Leases: hard pins with an expiry, taken on blocks while they are being handed off (read by
 * a worker, streamed to a decode worker). A leased block is never evicted, demoted or
 * promoted until every lease on it is released or has expired. Expiry is lazy: `expire(now)`
 * runs at the start of each cache operation and counts every lease that lapsed unreleased.
 */

export interface Lease {
  readonly leaseId: string;
  readonly keys: readonly BlockKey[];
  /** Absolute time on the caller's clock, seconds; the lease lapses when now ≥ this. */
  readonly expiresAtSeconds: number;
}

export class LeaseTable {
  private readonly leases = new Map<string, Lease>();
  private readonly pinCounts = new Map<BlockKey, number>();
  private readonly byExpiry = new MinHeap<string>();
  private nextId = 1;
  /** Leases that lapsed without being released (monotonic). */
  numExpiries = 0;

  get numLeases(): number {
    return this.leases.size;
  }

  /** Distinct keys under at least one lease. */
  get numPinnedKeys(): number {
    return this.pinCounts.size;
  }

  /** Pins `keys` until now + ttlSeconds. `leaseId` defaults to a fresh `lease-<n>`. */
  grant(keys: readonly BlockKey[], ttlSeconds: number, nowSeconds: number, leaseId?: string): Lease {
    if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
      throw new KvError('INVALID_ARGUMENT', `ttlSeconds must be a finite number > 0, got ${ttlSeconds}`, 'ttlSeconds');
    }
    const id = leaseId ?? `lease-${this.nextId++}`;
    if (this.leases.has(id)) throw new KvError('INVALID_ARGUMENT', `lease '${id}' already exists`, 'leaseId');
    const lease: Lease = { leaseId: id, keys: [...new Set(keys)], expiresAtSeconds: nowSeconds + ttlSeconds };
    this.leases.set(id, lease);
    for (const key of lease.keys) this.pinCounts.set(key, (this.pinCounts.get(key) ?? 0) + 1);
    this.byExpiry.push(lease.expiresAtSeconds, id);
    return lease;
  }

  get(leaseId: string): Lease | undefined {
    return this.leases.get(leaseId);
  }

  /** Releases a lease; false when it is unknown (never granted, released or expired). */
  release(leaseId: string): boolean {
    const lease = this.leases.get(leaseId);
    if (lease === undefined) return false;
    this.drop(lease);
    return true;
  }

  /** Drops every lease with expiresAtSeconds ≤ now; returns their ids. */
  expire(nowSeconds: number): string[] {
    const expired: string[] = [];
    for (;;) {
      const top = this.byExpiry.pop();
      if (top === undefined) break;
      if (top.priority > nowSeconds) {
        this.byExpiry.push(top.priority, top.value);
        break;
      }
      const lease = this.leases.get(top.value);
      if (lease === undefined || lease.expiresAtSeconds !== top.priority) continue;
      this.drop(lease);
      this.numExpiries++;
      expired.push(lease.leaseId);
    }
    return expired;
  }

  isLeased(key: BlockKey): boolean {
    return this.pinCounts.has(key);
  }

  private drop(lease: Lease): void {
    this.leases.delete(lease.leaseId);
    for (const key of lease.keys) {
      const n = (this.pinCounts.get(key) ?? 1) - 1;
      if (n > 0) this.pinCounts.set(key, n);
      else this.pinCounts.delete(key);
    }
  }
}
