import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WsConnection } from '@oicf/transport';
import { afterAll, describe, expect, it } from 'vitest';
import { hostIdentity } from './host-identity.js';
import { MAX_OFFERED_SEGMENTS } from './open-peer-segments.js';
import { ShmPeers } from './shm-peers.js';
import { OwnedSegment } from './shm-segment.js';

const DIR = mkdtempSync(join(tmpdir(), 'oicf-peers-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** A connection as answerHello sees it (its close signal only); `close` aborts it as its socket closing would. */
function connection() {
  const abort = new AbortController();
  return { conn: { signal: abort.signal } as unknown as WsConnection, close: () => abort.abort() };
}
const openFds = () => readdirSync('/proc/self/fd').length;

describe.skipIf(hostIdentity() === '')('ShmPeers.answerHello', () => {
  it('opens each offered segment once and closes them with the connection', () => {
    const seg = OwnedSegment.create(DIR, 1 << 16, 'staging');
    const peers = new ShmPeers({ enabled: true });
    const { conn, close } = connection();
    const before = openFds();
    expect(peers.answerHello({ hostId: hostIdentity(), segments: [seg.descriptor()] }, conn).shm).toBe(true);
    expect(peers.of(conn)?.segments.size).toBe(1);
    expect(openFds()).toBe(before + 1);
    close();
    expect(openFds()).toBe(before);
    seg.close();
  });

  it('refuses a segment id offered twice, leaving no descriptor open (each would outlive the connection)', () => {
    const seg = OwnedSegment.create(DIR, 1 << 16, 'staging');
    const peers = new ShmPeers({ enabled: true });
    const { conn, close } = connection();
    const before = openFds();
    // Three copies of one valid descriptor: one id, so one map entry; the other two opens would never be closed.
    const ack = peers.answerHello({ hostId: hostIdentity(), segments: [1, 2, 3].map(() => seg.descriptor()) }, conn);
    expect(ack.shm).toBe(false);
    expect(ack.reason).toMatch(new RegExp(`segment ${seg.segmentId} is offered twice`));
    expect(peers.of(conn)).toBeUndefined();
    expect(openFds()).toBe(before);
    close();
    seg.close();
  });

  it(`refuses more than ${MAX_OFFERED_SEGMENTS} offered segments before opening any`, () => {
    const peers = new ShmPeers({ enabled: true });
    const { conn } = connection();
    // Distinct ids and paths nobody could open: refused on the count alone, not on the first open's failure.
    const segments = Array.from({ length: MAX_OFFERED_SEGMENTS + 1 }, (_, i) => ({
      segmentId: i + 1,
      path: `/proc/${process.pid}/fd/999999`,
      nonce: '',
      sizeBytes: 8192,
    }));
    const ack = peers.answerHello({ hostId: hostIdentity(), segments }, conn);
    expect(ack.shm).toBe(false);
    expect(ack.reason).toMatch(
      new RegExp(`the peer offers ${MAX_OFFERED_SEGMENTS + 1} segments, more than ${MAX_OFFERED_SEGMENTS}`),
    );
  });
});
