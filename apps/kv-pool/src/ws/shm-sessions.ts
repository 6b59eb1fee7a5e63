import type { Extent, ShmPeers } from '@oicf/pool-client';
import { OicfError, type WsConnection } from '@oicf/transport';
import type { LocatedBlock, ShmArenaTierStore } from '../stores/shm-arena-store.js';

/** Seconds a slot may stay unwritten before it is reclaimed; seconds a read lease may be held. */
export const SLOT_TTL_SECONDS = 30;
/**
 * Seconds a spare slot (asked for in a kv.put, for the writer's next put) lives: short, so the spares a burst of
 * puts leaves behind return their arena room soon after it ends (the writer uses one within half of this).
 */
export const SPARE_SLOT_TTL_SECONDS = 4;
export const READ_LEASE_TTL_SECONDS = 60;
/** Most uncommitted slots and open read leases one connection may hold (a peer cannot grow them unbounded). */
export const MAX_SLOTS_PER_CONNECTION = 256;
export const MAX_READ_LEASES_PER_CONNECTION = 1024;

interface Session {
  /** Slots handed to this connection and not yet committed, by offset. */
  readonly slots: Map<number, { extent: Extent; expiresAtMs: number }>;
  /** Extents pinned for this connection's gets, by read lease id (the get's frame id). */
  readonly leases: Map<string, { located: LocatedBlock[]; expiresAtMs: number }>;
}

/**
 * What each shared-memory connection holds in the pool's arena: slots being written and extents being
 * read. All of it goes back when the connection closes (a writer or reader killed mid-transfer closes its
 * socket), when the client says so (commit, kv.get.release), or when its TTL passes (a client alive but
 * stuck); nothing a peer does can keep arena bytes past those bounds.
 */
export class ShmSessions {
  private readonly sessions = new WeakMap<WsConnection, Session>();
  private readonly live = new Set<Session>();

  constructor(
    readonly arena: ShmArenaTierStore,
    readonly peers: ShmPeers,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** The session of a connection that completed the handshake; FAILED_PRECONDITION otherwise. */
  of(connection: WsConnection): Session {
    let s = this.sessions.get(connection);
    if (s !== undefined) {
      // Closed (dropped): nothing more may be held for it, or it would be held for good (never swept).
      if (!this.live.has(s)) throw new OicfError('UNAVAILABLE', 'this connection has closed');
      return s;
    }
    const peer = this.peers.of(connection);
    if (peer === undefined) {
      throw new OicfError(
        'FAILED_PRECONDITION',
        'shared memory needs a kv.hello with shm = true on this connection first',
        {
          field: 'kind',
        },
      );
    }
    const session: Session = { slots: new Map(), leases: new Map() };
    s = session;
    this.sessions.set(connection, session);
    this.live.add(session);
    peer.onClose(() => {
      this.live.delete(session);
      this.drop(session);
    });
    return session;
  }

  /** A slot for `numBytes`, or RESOURCE_EXHAUSTED (the client then sends the bytes inline). */
  allocate(connection: WsConnection, numBytes: number, ttlSeconds = SLOT_TTL_SECONDS): Extent {
    const session = this.of(connection);
    this.sweep();
    if (session.slots.size >= MAX_SLOTS_PER_CONNECTION) {
      throw new OicfError(
        'RESOURCE_EXHAUSTED',
        `this connection holds ${session.slots.size} uncommitted slots: commit them (kv.put) or send the block inline`,
        { field: 'body.numBytes' },
      );
    }
    const extent = this.arena.allocateSlot(numBytes);
    if (extent === undefined) {
      throw new OicfError('RESOURCE_EXHAUSTED', `no arena slot of ${numBytes} bytes free: send the block inline`, {
        field: 'body.numBytes',
      });
    }
    session.slots.set(extent.offset, { extent, expiresAtMs: this.nowMs() + ttlSeconds * 1000 });
    return extent;
  }

  /** A spare slot for a writer's next put (SPARE_SLOT_TTL_SECONDS), or undefined when there is no room for one. */
  allocateSpare(connection: WsConnection, numBytes: number): Extent | undefined {
    try {
      return this.allocate(connection, numBytes, SPARE_SLOT_TTL_SECONDS);
    } catch (err) {
      if (err instanceof OicfError && (err.code === 'RESOURCE_EXHAUSTED' || err.code === 'UNAVAILABLE'))
        return undefined;
      throw err;
    }
  }

  /** Takes back a slot this connection was given, for a commit; INVALID_ARGUMENT when it was not. */
  claim(connection: WsConnection, shm: { segmentId: number; offset: number; length: number }): Extent {
    const session = this.of(connection);
    const slot = session.slots.get(shm.offset);
    if (shm.segmentId !== this.arena.segment.segmentId || slot === undefined || shm.length > slot.extent.length) {
      throw new OicfError(
        'INVALID_ARGUMENT',
        `body.shm [${shm.offset}, +${shm.length}) is not a slot this connection holds`,
        {
          field: 'body.shm',
        },
      );
    }
    session.slots.delete(shm.offset);
    return slot.extent;
  }

  /** Gives back slots this connection holds and will not commit (unused spares); other extents are ignored. */
  unslot(connection: WsConnection, extents: readonly { segmentId: number; offset: number }[]): void {
    const session = this.sessions.get(connection);
    if (session === undefined) return;
    for (const e of extents) {
      const slot = e.segmentId === this.arena.segment.segmentId ? session.slots.get(e.offset) : undefined;
      if (slot === undefined) continue;
      session.slots.delete(e.offset);
      this.arena.discardSlot(slot.extent);
    }
  }

  /** Whether this connection may open another read lease (else its get is answered with bytes in frames). */
  canLease(connection: WsConnection): boolean {
    return (this.sessions.get(connection)?.leases.size ?? 0) < MAX_READ_LEASES_PER_CONNECTION;
  }

  /** Pins extents read under `leaseId` until released. */
  hold(connection: WsConnection, leaseId: string, located: LocatedBlock): void {
    const session = this.of(connection);
    let lease = session.leases.get(leaseId);
    if (lease === undefined) {
      lease = { located: [], expiresAtMs: this.nowMs() + READ_LEASE_TTL_SECONDS * 1000 };
      session.leases.set(leaseId, lease);
    }
    lease.located.push(located);
  }

  /** Ends a read lease; false when unknown (already released, expired, or never held). */
  release(connection: WsConnection, leaseId: string): boolean {
    const session = this.sessions.get(connection);
    const lease = session?.leases.get(leaseId);
    if (session === undefined || lease === undefined) return false;
    session.leases.delete(leaseId);
    for (const l of lease.located) l.release();
    return true;
  }

  /** Reclaims expired slots and leases of every connection. */
  sweep(): void {
    const now = this.nowMs();
    for (const session of this.live) {
      for (const [offset, slot] of session.slots) {
        if (slot.expiresAtMs > now) continue;
        session.slots.delete(offset);
        this.arena.discardSlot(slot.extent);
      }
      for (const [id, lease] of session.leases) {
        if (lease.expiresAtMs > now) continue;
        session.leases.delete(id);
        for (const l of lease.located) l.release();
      }
    }
  }

  private drop(session: Session): void {
    for (const slot of session.slots.values()) this.arena.discardSlot(slot.extent);
    session.slots.clear();
    for (const lease of session.leases.values()) for (const l of lease.located) l.release();
    session.leases.clear();
  }
}
