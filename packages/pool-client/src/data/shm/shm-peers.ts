import type { KvHello__Output, KvHelloAck } from '@oicf/proto';
import { shmMapsByDefault } from '@oicf/shm-native';
import type { WsConnection } from '@oicf/transport';
import { hostIdentity } from './host-identity.js';
import { openPeerSegments } from './open-peer-segments.js';
import type { PeerSegment, SegmentDescriptor } from './shm-segment.js';

/** What a server knows about one connection's shared memory after the handshake. */
export interface ShmPeer {
  /** The client's segments, opened read-only and checked (a prefill worker's staging segment). */
  readonly segments: ReadonlyMap<number, PeerSegment>;
  /** Runs `fn` when the connection closes (after the peer's segments are closed). */
  onClose(fn: () => void): void;
}

/**
 * The server side of the shared-memory handshake (shm-link.ts is the client side): answers `kv.hello`,
 * keeps each connection's opened segments, and closes them, then runs the connection's clean-ups (slots
 * and read leases it held), when that connection closes: a peer killed with SIGKILL closes its socket,
 * which is all it takes to give back everything it held here.
 */
export class ShmPeers {
  private readonly peers = new WeakMap<WsConnection, ShmPeer>();
  /** Connections with a 'shm' link right now. */
  numLinked = 0;

  constructor(
    private readonly options: {
      readonly enabled: boolean;
      /** Segments this server offers (the kv-pool's arena); none for a decode worker. */
      readonly own?: () => readonly SegmentDescriptor[];
      /**
       * Whether the clients' segments (their handoff staging) are mapped; default: staging's default
       * (shmMapsByDefault). A server that never reads them (the kv-pool) passes false: it opens them only to check
       * them, and a mapping would be address space (a window of up to 1 GiB per connection) and a map/unmap for
       * nothing.
       */
      readonly mapSegments?: boolean;
    },
  ) {}

  answerHello(body: KvHello__Output, connection: WsConnection): KvHelloAck {
    const hostId = hostIdentity();
    const no = (reason: string): KvHelloAck => ({ hostId, shm: false, reason, segments: [] });
    if (!this.options.enabled) return no('shared memory is disabled on this server');
    if (hostId === '' || body.hostId !== hostId) return no('the client runs on another host');
    if (this.peers.has(connection)) return no('kv.hello was already answered on this connection');
    if (connection.signal.aborted) return no('the connection is closing');
    // A client's own segments are its handoff staging: mapped by that use's default (shmMapsByDefault).
    const opened = openPeerSegments(body.segments, {
      writable: false,
      map: this.options.mapSegments ?? shmMapsByDefault('staging'),
    });
    if (typeof opened === 'string') return no(opened);
    const cleanups: (() => void)[] = [];
    this.peers.set(connection, { segments: opened, onClose: (fn) => cleanups.push(fn) });
    this.numLinked++;
    connection.signal.addEventListener(
      'abort',
      () => {
        this.numLinked--;
        for (const s of opened.values()) s.close();
        for (const fn of cleanups.splice(0)) fn();
      },
      { once: true },
    );
    return { hostId, shm: true, reason: '', segments: [...(this.options.own?.() ?? [])] };
  }

  /** The connection's link, or undefined when it never shook hands (or was refused). */
  of(connection: WsConnection): ShmPeer | undefined {
    return this.peers.get(connection);
  }
}
