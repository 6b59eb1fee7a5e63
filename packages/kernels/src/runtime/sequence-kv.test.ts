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
    // region(l, s, from, to): tokens [1, 3) of layer 1 stream 1 start at 28 + 1·3 = 31.
    const rows = kv.region(1, 1, 1, 3);
    expect([rows.buffer === kv.buffer.buffer, rows.byteOffset, rows.length]).toEqual([true, 31 * 4, 6]);
    expect(kv.region(0, 0, 2, 2).length).toBe(0);
    expect(() => kv.region(0, 0, 3, 5)).toThrow(/cannot view tokens \[3, 5\) of 4 reserved/);
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

  it('K tiles: full tiles below numTokens hold [w, T]; writes, exports and rollbacks follow', () => {
    // One layer, one K stream of width 2 and one V stream of width 1; T = 2, 6 tokens reserved.
    const streams: KvStream[] = [
      { group: 'k', index: 0, width: 2, id: 'k0' },
      { group: 'v', index: 0, width: 1, id: 'v0' },
    ];
    const kv = new SequenceKv('t', 1, streams, 6, 2);
    // Token t has K = (10t, 10t+1) and V = 100 + t.
    kv.writeRows(0, 0, 0, Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31, 40, 41]));
    kv.writeRows(0, 1, 0, Float32Array.from([100, 101, 102, 103, 104]));
    kv.numTokens = 5; // tiles 0 and 1 full → sealed; token 4 open
    expect(kv.sealedTiles).toBe(2);
    // K stream elements 0–11: tile 0 = [[0, 10], [1, 11]], tile 1 = [[20, 30], [21, 31]], then row 40, 41.
    expect(Array.from(kv.buffer.subarray(0, 10))).toEqual([0, 10, 1, 11, 20, 30, 21, 31, 40, 41]);
    // V is never tiled.
    expect(Array.from(kv.buffer.subarray(12, 17))).toEqual([100, 101, 102, 103, 104]);
    // Export reads tokens back row-major, across sealed and open tiles.
    expect(Array.from(new Float32Array(kv.exportLayer(0, 1, 5).buffer))).toEqual([
      10, 11, 20, 21, 30, 31, 40, 41, 101, 102, 103, 104,
    ]);
    // Rewriting token 3 (in sealed tile 1) lands at its transposed places.
    kv.writeRows(0, 0, 3, Float32Array.from([-3, -4]));
    expect(Array.from(kv.buffer.subarray(4, 8))).toEqual([20, -3, 21, -4]);
    kv.numTokens = 3; // tile 1 no longer full → unsealed (row-major again); tile 0 stays sealed
    expect(Array.from(kv.buffer.subarray(0, 8))).toEqual([0, 10, 1, 11, 20, 21, -3, -4]);
    expect(() => {
      kv.numTokens = 7;
    }).toThrow(/numTokens 7 not in \[0, 6\]/);
  });

  it('refuses writes past the reservation and ranges past the cached tokens', () => {
    const kv = new SequenceKv('s', 1, STREAMS, 2);
    expect(() => kv.writeRows(0, 0, 1, new Float32Array(4))).toThrow(/do not fit its 2 reserved tokens/);
    expect(() => kv.exportLayer(0, 0, 1)).toThrow(/cannot export tokens \[0, 1\) of 0 cached/);
    expect(() => kv.importLayer(0, 0, new Uint8Array(7))).toThrow(/not a whole number of 20-byte tokens/);
    expect(() => new SequenceKv('s', 1, STREAMS, 0)).toThrow(/maxTokens must be a positive integer/);
  });
});
