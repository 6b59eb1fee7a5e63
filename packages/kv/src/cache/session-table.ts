import { KvError } from '../errors.js';
import type { BlockKey } from '../policies/policy.js';
import { ExpiringPins } from './expiring-pins.js';

/**
 * Agent-session retention: a soft pin with a TTL that spans the tool/think gap between an
 * agent's turns, so the next turn finds its context still cached. Retained blocks are
 * preferred to stay: the cache evicts every unpinned candidate first and only then, under
 * pressure, a retained one (demoting it when a lower tier will take it). Each retain call
 * adds blocks to the session and restarts its TTL; a session lapses at last-retain + TTL.
 */
export class SessionTable {
  private readonly pins = new ExpiringPins();

  /** Sessions whose TTL lapsed (monotonic). */
  get numExpiries(): number {
    return this.pins.numExpiries;
  }

  get numSessions(): number {
    return this.pins.numGroups;
  }

  /** Adds `keys` to the session and sets its expiry to now + ttlSeconds; returns that expiry. */
  retain(sessionId: string, keys: readonly BlockKey[], ttlSeconds: number, nowSeconds: number): number {
    if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
      throw new KvError('INVALID_ARGUMENT', `ttlSeconds must be a finite number > 0, got ${ttlSeconds}`, 'ttlSeconds');
    }
    if (sessionId.length === 0) throw new KvError('INVALID_ARGUMENT', 'sessionId must be non-empty', 'sessionId');
    const expiresAtSeconds = nowSeconds + ttlSeconds;
    this.pins.pin(sessionId, keys, expiresAtSeconds);
    return expiresAtSeconds;
  }

  /** Ends a session early (e.g. the agent finished); false when unknown. */
  release(sessionId: string): boolean {
    return this.pins.release(sessionId);
  }

  /** Drops every session whose TTL lapsed by now; returns their ids. */
  expire(nowSeconds: number): string[] {
    return this.pins.expire(nowSeconds);
  }

  isRetained(key: BlockKey): boolean {
    return this.pins.isPinned(key);
  }

  expiresAt(sessionId: string): number | undefined {
    return this.pins.expiresAt(sessionId);
  }
}
