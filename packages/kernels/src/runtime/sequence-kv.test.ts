import { describe, expect, it } from 'vitest';
import type { KvStream } from '../model/kv-layout.js';
import { SequenceKv } from './sequence-kv.js';

// Two layers, streams of widths 2 and 3 (5 elements per token per layer), 4 tokens reserved.
const STREAMS: KvStream[] = [
  { group: 'c', index: 0, width: 2, id: 'c0' },
  { group: 'kr', index: 0, width: 3, id: 'kr0' },
];

describe('SequenceKv layout', () => {
  it('places stream s of layer l at l·maxTokens·Σw + maxTokens·Σ_{s′<s} w', () => {
    const kv = new SequenceKv('s', 2, STREAMS, 4);
    expect(kv.buffer.length).toBe(2 * 4 * 5);
    expect(kv.capacityBytes).toBe(160);
    expect([kv.streamOffset(0, 0), kv.streamOffset(0, 1), kv.streamOffset(1, 0), kv.streamOffset(1, 1)]).toEqual([
      0, 8, 20, 28,
    ]);
  });

  it('writes rows in place and views them without copying', () => {
    const kv = new SequenceKv('s', 2, STREAMS, 4);
    kv.writeRows(1, 1, 2, Float32Array.from([7, 8, 9]));
    // layer 1 stream 1 starts at 28; token 2 of width 3 → elements 34..36.
    expect(Array.from(kv.buffer.subarray(34, 37))).toEqual([7, 8, 9]);
    const view = kv.view(1, 1, 3);
    expect(view.buffer).toBe(kv.buffer.buffer);
    expect(view.byteOffset).toBe(28 * 4);
    kv.buffer[34] = 70;
    expect(view[6]).toBe(70);
  });

  it('exports [stream][token][element] and imports it back', () => {
    const a = new SequenceKv('a', 1, STREAMS, 4);
    a.writeRows(0, 0, 0, Float32Array.from([1, 2, 3, 4, 5, 6])); // 3 tokens of width 2
    a.writeRows(0, 1, 0, Float32Array.from([10, 11, 12, 13, 14, 15, 16, 17, 18])); // width 3
    a.numTokens = 3;
    const bytes = a.exportLayer(0, 1, 3);
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual([3, 4, 5, 6, 13, 14, 15, 16, 17, 18]);
    const b = new SequenceKv('b', 1, STREAMS, 4);
    // An unaligned copy of the bytes must import too.
    const unaligned = new Uint8Array(bytes.byteLength + 1).subarray(1);
    unaligned.set(bytes);
    expect(b.importLayer(0, 0, unaligned)).toBe(2);
    expect(Array.from(b.view(0, 1, 2))).toEqual([13, 14, 15, 16, 17, 18]);
    // So must an unaligned Node Buffer view (whose slice() is another view, not a copy).
    const c = new SequenceKv('c', 1, STREAMS, 4);
    const backing = Buffer.alloc(bytes.byteLength + 3);
    const buf = backing.subarray(3);
    buf.set(bytes);
    expect(c.importLayer(0, 0, buf)).toBe(2);
    expect(Array.from(c.view(0, 0, 2))).toEqual([3, 4, 5, 6]);
  });

  it('refuses writes past the reservation and ranges past the cached tokens', () => {
    const kv = new SequenceKv('s', 1, STREAMS, 2);
    expect(() => kv.writeRows(0, 0, 1, new Float32Array(4))).toThrow(/do not fit its 2 reserved tokens/);
    expect(() => kv.exportLayer(0, 0, 1)).toThrow(/cannot export tokens \[0, 1\) of 0 cached/);
    expect(() => kv.importLayer(0, 0, new Uint8Array(7))).toThrow(/not a whole number of 20-byte tokens/);
    expect(() => new SequenceKv('s', 1, STREAMS, 0)).toThrow(/maxTokens must be a positive integer/);
  });
});
