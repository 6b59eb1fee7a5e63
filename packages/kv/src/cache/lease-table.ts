import { KvError } from '../errors.js';
import type { BlockKey } from '../policies/policy.js';
import { ExpiringPins } from './expiring-pins.js';

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
  private readonly pins = new ExpiringPins();
  private nextId = 1;

  /** Leases that lapsed without being released (monotonic). */
  get numExpiries(): number {
    return this.pins.numExpiries;
  }

  get numLeases(): number {
    return this.leases.size;
  }

  /** Distinct keys under at least one lease. */
  get numPinnedKeys(): number {
    return this.pins.numPinnedKeys;
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
    this.pins.pin(id, lease.keys, lease.expiresAtSeconds);
    return lease;
  }

  get(leaseId: string): Lease | undefined {
    return this.leases.get(leaseId);
  }

  /** Releases a lease; false when it is unknown (never granted, released or expired). */
  release(leaseId: string): boolean {
    this.leases.delete(leaseId);
    return this.pins.release(leaseId);
  }

  /** Drops every lease with expiresAtSeconds ≤ now; returns their ids. */
  expire(nowSeconds: number): string[] {
    const expired = this.pins.expire(nowSeconds);
    for (const id of expired) this.leases.delete(id);
    return expired;
  }

  isLeased(key: BlockKey): boolean {
    return this.pins.isPinned(key);
  }
}
