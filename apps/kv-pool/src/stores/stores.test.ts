import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MemoryTierStore } from '@oicf/kv';
import { contractBlockId, contractBytes, runTierStoreContract } from '@oicf/kv/testing';
import { realClock } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { DiskTierStore } from './disk-tier-store.js';
import { PacedTierStore } from './paced-tier-store.js';
import { TrustedMemoryTierStore } from './trusted-memory-tier-store.js';

// The memory tiers keep their bytes in real process memory. The pool runs them as
// TrustedMemoryTierStore (build-tiers.ts), which skips re-hashing payloads on read: the contract runs
// on it in its end-to-end form (trustsPayloadOnRead), and in full on the base MemoryTierStore.
runTierStoreContract('dram (MemoryTierStore)', async ({ capacityBytes }) =>
  memoryHarness(new MemoryTierStore('dram', capacityBytes)),
);
runTierStoreContract(
  'dram (TrustedMemoryTierStore, as the pool runs it)',
  async ({ capacityBytes }) => memoryHarness(new TrustedMemoryTierStore('dram', capacityBytes)),
  { trustsPayloadOnRead: true },
);

// Paced tiers as the pool builds them: a pacer over a TrustedMemoryTierStore, paced to a fast link so
// the suite stays quick (the pacing itself is tested in link-pacer.test.ts and below).
for (const name of ['cxl', 'optical-pool']) {
  runTierStoreContract(
    name,
    async ({ capacityBytes }) => {
      const inner = new TrustedMemoryTierStore(name, capacityBytes);
      const store = new PacedTierStore(inner, { bandwidthBytesPerSecond: 1e10, latencySeconds: 1e-6 }, realClock);
      return { ...memoryHarness(inner), store };
    },
    { trustsPayloadOnRead: true },
  );
}

runTierStoreContract('disk', async ({ capacityBytes }) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kvpool-disk-'));
  const store = await DiskTierStore.open({ name: 'disk', dataDir, capacityBytes });
  return {
    store,
    async corrupt(blockId) {
      const path = store.pathOf(blockId);
      const bytes = await readFile(path);
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
      await writeFile(path, bytes);
    },
    async substitute(blockId, otherBlockId) {
      await writeFile(store.pathOf(blockId), await readFile(store.pathOf(otherBlockId)));
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
});

function memoryHarness(store: MemoryTierStore) {
  return {
    store,
    async corrupt(blockId: string) {
      const record = store.rawRecord(blockId);
      if (record === undefined) throw new Error(`no record for ${blockId}`);
      const { payload, header } = record;
      if (payload.length > 0) payload[payload.length - 1] = (payload[payload.length - 1] as number) ^ 0xff;
      else header[56] = (header[56] as number) ^ 0xff; // empty payload: damage its checksum field
    },
    async substitute(blockId: string, otherBlockId: string) {
      const other = store.rawRecord(otherBlockId);
      if (other === undefined) throw new Error(`no record for ${otherBlockId}`);
      store.setRawRecord(blockId, { header: other.header.slice(), payload: other.payload.slice() });
    },
  };
}

describe('DiskTierStore across restarts', () => {
  it('rebuilds its index from the files, dropping temp files and bad headers', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kvpool-disk-'));
    try {
      const first = await DiskTierStore.open({ name: 'disk', dataDir, capacityBytes: 1 << 20 });
      const ids = [1, 2, 3].map(contractBlockId);
      for (const [i, id] of ids.entries()) {
        await first.put(id, contractBytes(i, 1000 + i), {
          meta: { parentId: i > 0 ? ids[i - 1] : undefined, position: i, numTokens: 64 },
        });
      }
      // A crash mid-write leaves a temp file; a stray file with a block-id name holds garbage.
      const stray = contractBlockId(9);
      await writeFile(`${first.pathOf(ids[0] as string)}.tmp-123-0`, 'partial');
      await mkdir(dirname(first.pathOf(stray)), { recursive: true });
      await writeFile(first.pathOf(stray), 'garbage that is no block record at all, longer than a header: 0123456789');

      const second = await DiskTierStore.open({ name: 'disk', dataDir, capacityBytes: 1 << 20 });
      expect(second.numDiscardedAtOpen).toBe(2);
      expect(await second.stats()).toMatchObject({ numBlocks: 3, usedBytes: 1000 + 1001 + 1002 });
      const listed = new Map((await second.list()).map((b) => [b.blockId, b.meta]));
      expect(listed.get(ids[2] as string)).toEqual({ parentId: ids[1], position: 2, numTokens: 64 });
      const got = await second.get(ids[1] as string);
      expect(got.kind === 'hit' && Buffer.from(got.bytes).equals(Buffer.from(contractBytes(1, 1001)))).toBe(true);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
