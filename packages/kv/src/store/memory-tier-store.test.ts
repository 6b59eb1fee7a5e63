import { describe, expect, it } from 'vitest';
import { runTierStoreContract } from '../testing/tier-store-contract.js';
import { MemoryTierStore } from './memory-tier-store.js';

runTierStoreContract('memory fake', async ({ capacityBytes }) => {
  const store = new MemoryTierStore('memory', capacityBytes);
  return {
    store,
    async corrupt(blockId) {
      const record = store.rawRecord(blockId);
      if (record === undefined) throw new Error(`no record for ${blockId}`);
      record[record.length - 1] = (record[record.length - 1] as number) ^ 0xff;
    },
    async substitute(blockId, otherBlockId) {
      const other = store.rawRecord(otherBlockId);
      if (other === undefined) throw new Error(`no record for ${otherBlockId}`);
      store.setRawRecord(blockId, other.slice());
    },
  };
});

describe('MemoryTierStore', () => {
  it('rejects a bad capacity', () => {
    expect(() => new MemoryTierStore('m', -1)).toThrow(/capacityBytes/);
  });
});
