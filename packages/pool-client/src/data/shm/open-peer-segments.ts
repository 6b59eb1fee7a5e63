import { PeerSegment, type SegmentDescriptor } from './shm-segment.js';

/** Segments one side of the handshake may offer (a client its one staging segment, the kv-pool its arena). */
export const MAX_OFFERED_SEGMENTS = 8;

/**
 * Opens and checks every segment a peer offered (shm-peers.ts: a client's kv.hello; shm-link.ts: the server's
 * ack), all or none: a string says why not, with everything opened so far closed again. An id offered twice is
 * refused, since a second open under one id would replace the first in the map and leave its descriptor open for
 * good; so is an offer of more than MAX_OFFERED_SEGMENTS, before anything is opened.
 */
export function openPeerSegments(
  descriptors: readonly SegmentDescriptor[],
  options: { writable: boolean; map?: boolean },
): Map<number, PeerSegment> | string {
  if (descriptors.length > MAX_OFFERED_SEGMENTS) {
    return `the peer offers ${descriptors.length} segments, more than ${MAX_OFFERED_SEGMENTS}`;
  }
  const opened = new Map<number, PeerSegment>();
  const fail = (reason: string) => {
    for (const s of opened.values()) s.close();
    return reason;
  };
  for (const d of descriptors) {
    if (opened.has(d.segmentId)) return fail(`segment ${d.segmentId} is offered twice`);
    const seg = PeerSegment.open(d, options);
    if (typeof seg === 'string') return fail(seg);
    opened.set(d.segmentId, seg);
  }
  return opened;
}
