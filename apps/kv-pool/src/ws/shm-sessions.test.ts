import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ShmPeers } from '@oicf/pool-client';
import type { WsConnection } from '@oicf/transport';
import { afterAll, describe, expect, it } from 'vitest';
import { ShmArenaTierStore } from '../stores/shm-arena-store.js';
import { ShmSessions } from './shm-sessions.js';

const DIR = mkdtempSync(join(existsShm() ? '/dev/shm' : '/tmp', 'oicf-sessions-test-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
function existsShm(): boolean {
  try {
    readdirSync('/dev/shm');
    return true;
  } catch {
    return false;
  }
}

/** Peers with one linked connection, closed by the returned function (as its socket closing would). */
function onePeer() {
  const connection = { signal: new AbortController().signal } as unknown as WsConnection;
  const cleanups: (() => void)[] = [];
  const peers = {
    of: (c: WsConnection) =>
      c === connection ? { segments: new Map(), onClose: (fn: () => void) => cleanups.push(fn) } : undefined,
  } as unknown as ShmPeers;
  return {
    connection,
    peers,
    close: () => {
      for (const fn of cleanups.splice(0)) fn();
    },
  };
}

describe('ShmSessions', () => {
  it('gives a connection that already closed no spare slot (its put was still running when it closed)', () => {
    const arena = ShmArenaTierStore.open({ name: 'dram', capacityBytes: 1 << 20, dir: DIR, stagingBytes: 1 << 20 });
    const { connection, peers, close } = onePeer();
    const sessions = new ShmSessions(arena, peers);
    expect(sessions.allocateSpare(connection, 4096)).toBeDefined();
    expect(arena.pendingSlotBytes).toBe(4096);
    close(); // the writer killed while the pool stores its put: its slots go back
    expect(arena.pendingSlotBytes).toBe(0);
    // The put's ack is built after the close: a spare allocated now would belong to no live session, never
    // swept and never dropped, its arena room gone for good.
    expect(sessions.allocateSpare(connection, 4096)).toBeUndefined();
    expect(arena.pendingSlotBytes).toBe(0);
  });
});
