import { KernelRunner, microConfig } from '@oicf/kernels';
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { checkBlock } from '@oicf/pool-client';
import { afterAll, describe, expect, it } from 'vitest';
import { blockRanges, encodePayload, exportBlocks, importPayload, splitPayload } from './block-codec.js';

const config = microConfig('gqa');
// micro-gqa: 2 layers × (k, v) × 2 kv heads × head_dim 16 = 64 fp32 per token per layer
// → 64 · 4 B · 2 layers = 512 bytes per token; a 64-token block is 32,768 bytes.
const BYTES_PER_TOKEN = 512;
const runners: KernelRunner[] = [];
function runner(): KernelRunner {
  const r = new KernelRunner({ config, intraOpNumThreads: 1, maxTokensPerSequence: 256 });
  runners.push(r);
  return r;
}
afterAll(async () => {
  for (const r of runners) await r.close();
});

const PROMPT = Array.from({ length: 150 }, (_, i) => (i * 37 + 11) % 256);

describe('blockRanges', () => {
  it.each([
    // [from, to, blockTokens, expected (index, first, n, full)]
    [
      0,
      150,
      64,
      [
        [0, 0, 64, true],
        [1, 64, 64, true],
        [2, 128, 22, false],
      ],
    ],
    [
      30,
      150,
      64,
      [
        [0, 30, 34, false],
        [1, 64, 64, true],
        [2, 128, 22, false],
      ],
    ],
    [64, 128, 64, [[1, 64, 64, true]]],
    [10, 10, 64, []],
    [
      0,
      5,
      4,
      [
        [0, 0, 4, true],
        [1, 4, 1, false],
      ],
    ],
  ] as const)('[%i, %i) in blocks of %i', (from, to, bt, expected) => {
    expect(blockRanges(from, to, bt)).toEqual(
      expected.map(([index, firstToken, numTokens, full]) => ({ index, firstToken, numTokens, full })),
    );
  });

  it('rejects a reversed range', () => {
    expect(() => blockRanges(5, 4, 64)).toThrow(/not a token range/);
  });
});

describe('payload layout', () => {
  it('concatenates layers and splits them back into equal views', () => {
    const layers = [Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6)];
    const payload = encodePayload(layers);
    expect(Array.from(payload)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(splitPayload(payload, 2)?.map((l) => Array.from(l))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(splitPayload(payload, 4)).toBeUndefined();
  });
});

describe('export → import round trip through block payloads', () => {
  it('moves full blocks and the trailing partial block; the receiver decodes bit-identically', async () => {
    const src = runner();
    const dst = runner();
    await src.prefill('s', PROMPT);
    const ids = chainBlockIds(PROMPT, { blockTokens: 64 });
    const blocks = exportBlocks(src, 's', { fromToken: 0, toToken: 150, blockTokens: 64, blockIds: ids });
    expect(blocks.map((b) => [b.blockId, b.firstToken, b.numTokens, b.payload.byteLength])).toEqual([
      [ids[0], 0, 64, 64 * BYTES_PER_TOKEN],
      [ids[1], 64, 64, 64 * BYTES_PER_TOKEN],
      ['', 128, 22, 22 * BYTES_PER_TOKEN],
    ]);
    for (const b of blocks) {
      expect(b.checksum).toBe(blockChecksum(b.payload));
      expect(checkBlock({ blockId: b.blockId, numTokens: b.numTokens }, b, BYTES_PER_TOKEN)).toBeUndefined();
      importPayload(dst, 's', b.firstToken, b.payload, config.numLayers, 256);
    }
    expect(dst.contextLength('s')).toBe(150);
    const [a, b] = [await src.decodeStep(['s'], [65]), await dst.decodeStep(['s'], [65])];
    expect(Buffer.from(a.logits.buffer).equals(Buffer.from(b.logits.buffer))).toBe(true);
  });
});

describe('importPayload of a payload received inside a frame', () => {
  it('imports a Buffer view at an odd byte offset (copied once to align the fp32 rows)', async () => {
    const src = runner();
    const dst = runner();
    await src.prefill('s', PROMPT.slice(0, 64));
    const [block] = exportBlocks(src, 's', { fromToken: 0, toToken: 64, blockTokens: 64, blockIds: ['x'] });
    // A frame puts the payload wherever the msgpack header ends: here at offset 3 of a pooled buffer.
    const frame = Buffer.alloc(3 + (block?.payload.byteLength ?? 0));
    frame.set(block?.payload ?? [], 3);
    const view = frame.subarray(3);
    expect(view.byteOffset % 4).not.toBe(0);
    expect(importPayload(dst, 's', 0, view, config.numLayers, 256)).toBe(64);
    expect(Buffer.from(encodePayload(dst.exportKv('s', 0, 64))).equals(Buffer.from(block?.payload ?? []))).toBe(true);
  });
});
