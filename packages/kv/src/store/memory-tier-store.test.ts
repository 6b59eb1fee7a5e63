import { describe, expect, it } from 'vitest';
import { contractBlockId, runTierStoreContract } from '../testing/tier-store-contract.js';
import { MemoryTierStore } from './memory-tier-store.js';

runTierStoreContract('memory fake', async ({ capacityBytes }) => {
  const store = new MemoryTierStore('memory', capacityBytes);
  return {
    store,
    async corrupt(blockId) {
      const record = store.rawRecord(blockId);
      if (record === undefined) throw new Error(`no record for ${blockId}`);
      const { payload, header } = record;
      if (payload.length > 0) payload[payload.length - 1] = (payload[payload.length - 1] as number) ^ 0xff;
      else header[56] = (header[56] as number) ^ 0xff; // empty payload: damage its checksum field
    },
    async substitute(blockId, otherBlockId) {
      const other = store.rawRecord(otherBlockId);
      if (other === undefined) throw new Error(`no record for ${otherBlockId}`);
      store.setRawRecord(blockId, { header: other.header.slice(), payload: other.payload.slice() });
    },
  };
});

describe('MemoryTierStore', () => {
  it('copies on put unless the caller adopts the bytes over', async () => {
    const store = new MemoryTierStore('m', 1000);
    const [a, b] = [contractBlockId(1), contractBlockId(2)];
    const copied = Uint8Array.of(1, 2, 3);
    const adopted = Uint8Array.of(4, 5, 6);
    await store.put(a, copied);
    await store.put(b, adopted, { adopt: true });
    expect(store.rawRecord(a)?.payload).not.toBe(copied);
    expect(store.rawRecord(b)?.payload).toBe(adopted);
    // Breaking the adoption promise is caught as corruption, never served.
    adopted[0] = 9;
    expect(await store.get(b)).toEqual({ kind: 'miss', reason: 'corrupt' });
  });

  it('rejects a bad capacity', () => {
    expect(() => new MemoryTierStore('m', -1)).toThrow(/capacityBytes/);
  });
});
