import { blockChecksum } from '@oicf/kv';
import { describe, expect, it } from 'vitest';
import { checkBlock, payloadChecksum } from './verify-block.js';

const BYTES_PER_TOKEN = 512;

describe('checkBlock: anything but the expected, intact block is a miss', () => {
  const payload = new Uint8Array(64 * BYTES_PER_TOKEN).fill(7);
  const good = { blockId: 'aa', numTokens: 64, payload, checksum: blockChecksum(payload) };
  const flipped = Uint8Array.from(payload);
  flipped[1000] = (flipped[1000] ?? 0) ^ 0x01;
  it.each([
    ['intact', good, undefined],
    ['one flipped bit', { ...good, payload: flipped }, 'checksum'],
    ['checksum field off by one', { ...good, checksum: (good.checksum + 1) >>> 0 }, 'checksum'],
    ['another block id', { ...good, blockId: 'bb' }, 'identity'],
    ['another token count', { ...good, numTokens: 63 }, 'identity'],
    ['truncated payload', { ...good, payload: payload.subarray(0, payload.byteLength - 4) }, 'size'],
    // The channel checked the keyed digest (shm-block-channel.ts): XXH32 is not computed again.
    ['digest verified by the channel', { ...good, checksum: 0, digestVerified: true }, undefined],
    // Identity and size are still checked after a digest (the digest binds bytes to an id, not to this position).
    ['digest verified, another block id', { ...good, blockId: 'bb', digestVerified: true }, 'identity'],
    ['digest verified, truncated', { ...good, payload: payload.subarray(4), digestVerified: true }, 'size'],
  ] as const)('%s → %s', (_name, received, problem) => {
    expect(checkBlock({ blockId: 'aa', numTokens: 64 }, received, BYTES_PER_TOKEN)).toBe(problem);
  });
});

describe('payloadChecksum', () => {
  it('equals blockChecksum for a payload at an unaligned offset (the aligned-copy path)', () => {
    const bytes = Uint8Array.from({ length: 4096 + 3 }, (_, i) => (i * 131) & 0xff);
    const view = bytes.subarray(3);
    expect(view.byteOffset % 4).toBe(3);
    expect(payloadChecksum(view)).toBe(blockChecksum(Uint8Array.from(view)));
  });
});
