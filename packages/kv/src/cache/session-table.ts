import { KvError } from '../errors.js';
import type { BlockKey } from '../policies/policy.js';
import { MinHeap } from '../util/min-heap.js';

/**
 * Agent-session retention: a soft pin with a TTL that spans the tool/think gap between an
 * agent's turns, so the next turn finds its context still cached. Retained blocks are
 * preferred to stay: the cache evicts every unpinned candidate first and only then, under
 * pressure, a retained one (demoting it when a lower tier will take it). Each retain call
 * adds blocks to the session and restarts its TTL; a session lapses at last-retain + TTL.
 */

interface Session {
  readonly sessionId: string;
  readonly keys: Set<BlockKey>;
  expiresAtSeconds: number;
}

export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  private readonly pinCounts = new Map<BlockKey, number>();
  private readonly byExpiry = new MinHeap<string>();
  /** Sessions whose TTL lapsed (monotonic). */
  numExpiries = 0;

  get numSessions(): number {
    return this.sessions.size;
  }

  /** Adds `keys` to the session and sets its expiry to now + ttlSeconds. */
  retain(sessionId: string, keys: readonly BlockKey[], ttlSeconds: number, nowSeconds: number): number {
    if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
      throw new KvError('INVALID_ARGUMENT', `ttlSeconds must be a finite number > 0, got ${ttlSeconds}`, 'ttlSeconds');
    }
    if (sessionId.length === 0) throw new KvError('INVALID_ARGUMENT', 'sessionId must be non-empty', 'sessionId');
    let session = this.sessions.get(sessionId);
    if (session === undefined) {
      session = { sessionId, keys: new Set(), expiresAtSeconds: 0 };
      this.sessions.set(sessionId, session);
    }
    for (const key of keys) {
      if (session.keys.has(key)) continue;
      session.keys.add(key);
      this.pinCounts.set(key, (this.pinCounts.get(key) ?? 0) + 1);
    }
    session.expiresAtSeconds = nowSeconds + ttlSeconds;
    this.byExpiry.push(session.expiresAtSeconds, sessionId);
    return session.expiresAtSeconds;
  }

  /** Ends a session early (e.g. the agent finished); false when unknown. */
  release(sessionId: string): boolean {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return false;
    this.drop(session);
    return true;
  }

  expire(nowSeconds: number): string[] {
    const expired: string[] = [];
    for (;;) {
      const top = this.byExpiry.pop();
      if (top === undefined) break;
      if (top.priority > nowSeconds) {
        this.byExpiry.push(top.priority, top.value);
        break;
      }
      const session = this.sessions.get(top.value);
      // Stale heap item: the session was refreshed (later expiry) or already gone.
      if (session === undefined || session.expiresAtSeconds !== top.priority) continue;
      this.drop(session);
      this.numExpiries++;
      expired.push(session.sessionId);
    }
    return expired;
  }

  isRetained(key: BlockKey): boolean {
    return this.pinCounts.has(key);
  }

  expiresAt(sessionId: string): number | undefined {
    return this.sessions.get(sessionId)?.expiresAtSeconds;
  }

  private drop(session: Session): void {
    this.sessions.delete(session.sessionId);
    for (const key of session.keys) {
      const n = (this.pinCounts.get(key) ?? 1) - 1;
      if (n > 0) this.pinCounts.set(key, n);
      else this.pinCounts.delete(key);
    }
  }
}
