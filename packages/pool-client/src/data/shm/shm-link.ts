import { toOicfError, type WsClient } from '@oicf/transport';
import { hostIdentity } from './host-identity.js';
import { openPeerSegments } from './open-peer-segments.js';
import type { OwnedSegment, PeerSegment, SegmentDescriptor } from './shm-segment.js';

/** Whether shared memory is used on one connection, and what was opened for it. */
export type ShmLink =
  | { readonly mode: 'shm'; readonly peerSegments: ReadonlyMap<number, PeerSegment> }
  | { readonly mode: 'ws'; readonly reason: string };

export interface ShmLinksOptions {
  /** Off: every link is 'ws' (config `shm.enabled: false`, or a platform without /dev/shm). */
  readonly enabled: boolean;
  /** Segments this process offers to the server (a staging segment the server reads from). */
  readonly offer?: () => OwnedSegment | undefined;
  /** Open the server's segments for writing too (the kv-pool's arena, where puts land). */
  readonly writable?: boolean;
  readonly timeoutSeconds?: number;
}

/**
 * The client side of the shared-memory handshake, once per connection (docs/architecture.md "KV bytes"):
 *
 *   client ── kv.hello {hostId, segments it owns} ──▶ server   opens and checks each offered segment
 *   client ◀── kv.hello.ack {hostId, shm, segments it owns} ──   client opens and checks each of those
 *
 * The link is 'shm' only when the host ids agree, the server opened every offered segment and this side
 * opened every segment the server offered; any failure (another host, another pid namespace, no /dev/shm,
 * an older peer) leaves the connection on byte frames, which always work. Segments opened here are closed
 * when the connection closes (so a dead peer's memory is not kept alive by this process).
 */
export class ShmLinks {
  private readonly links = new WeakMap<WsClient, Promise<ShmLink>>();

  constructor(private readonly options: ShmLinksOptions) {}

  /** The link of `client`, shaking hands on first use. Never rejects: a failed handshake is a 'ws' link. */
  of(client: WsClient): Promise<ShmLink> {
    let link = this.links.get(client);
    if (link === undefined) {
      link = this.handshake(client);
      this.links.set(client, link);
    }
    return link;
  }

  private async handshake(client: WsClient): Promise<ShmLink> {
    if (!this.options.enabled) return { mode: 'ws', reason: 'shared memory is disabled' };
    const hostId = hostIdentity();
    if (hostId === '') return { mode: 'ws', reason: 'no host identity (/proc/sys/kernel/random/boot_id)' };
    let offered: SegmentDescriptor[];
    try {
      const own = this.options.offer?.();
      offered = own === undefined ? [] : [own.descriptor()];
    } catch (err) {
      return { mode: 'ws', reason: toOicfError(err).message };
    }
    let ack: Awaited<ReturnType<WsClient['request']>>;
    try {
      ack = await client.request('kv.hello', { hostId, segments: offered }, 'kv.hello.ack', {
        timeoutSeconds: this.options.timeoutSeconds ?? 5,
      });
    } catch (err) {
      return { mode: 'ws', reason: `handshake failed: ${toOicfError(err).message}` };
    }
    if (ack.kind !== 'kv.hello.ack') return { mode: 'ws', reason: 'unexpected handshake answer' };
    const body = ack.body;
    if (body.hostId !== hostId) return { mode: 'ws', reason: 'the peer runs on another host' };
    if (!body.shm) return { mode: 'ws', reason: `the peer declined: ${body.reason}` };
    const opened = openPeerSegments(body.segments, { writable: this.options.writable === true });
    if (typeof opened === 'string') return { mode: 'ws', reason: opened };
    if (opened.size > 0)
      closeWhenClosed(client, () => {
        for (const s of opened.values()) s.close();
      });
    return { mode: 'shm', peerSegments: opened };
  }
}

/**
 * Runs `onClose` once the connection closes. The WebSocket client has no close event of its own, but every
 * open call fails with UNAVAILABLE when the connection closes: an idle call that never sends anything is
 * such a watcher (the server never sees it).
 */
function closeWhenClosed(client: WsClient, onClose: () => void): void {
  const watch = client.call();
  watch
    .frames()
    .next()
    .then(
      () => onClose(),
      () => onClose(),
    );
}
