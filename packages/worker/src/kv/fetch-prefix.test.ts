import { blockChecksum } from '@oicf/kv';
import type { BlockChannel, BlockChannels } from '@oicf/pool-client';
import { OicfError } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { fetchPrefix } from './fetch-prefix.js';

// One 2-token block at 4 KV bytes per token: an 8-byte payload with its XXH32.
const payload = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
const block = { blockId: 'a'.repeat(16), firstToken: 0, numTokens: 2 };

/** A holder whose lease `lease-1` has expired; it still holds the block for an unleased read. */
function holder(asked: string[]): BlockChannels {
  const channel: BlockChannel = {
    async *get(request) {
      asked.push(request.leaseId);
      if (request.leaseId !== '')
        throw new OicfError('FAILED_PRECONDITION', `lease ${request.leaseId} is unknown or expired`);
      yield { kind: 'block', ...block, checksum: blockChecksum(payload), payload, tier: 'dram' };
      yield { kind: 'done', missingBlockIds: [] };
    },
    put: async () => {
      throw new Error('not used');
    },
  };
  return { with: (_address, fn) => fn(channel), close: async () => {} };
}

describe('fetchPrefix', () => {
  it('reads blocks unleased when their lease expired while the request queued', async () => {
    const asked: string[] = [];
    const got = await fetchPrefix([{ wsAddress: 'ws://pool', leaseId: 'lease-1', blocks: [block] }], {
      channels: holder(asked),
      kvBytesPerToken: 4,
      timeoutSeconds: 5,
    });
    expect(asked).toEqual(['lease-1', '']);
    expect(got.blocks.map((b) => b.blockId)).toEqual([block.blockId]);
    expect(got.failures).toEqual([]);
  });
});
