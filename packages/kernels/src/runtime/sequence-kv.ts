import { KV_BYTES_PER_ELEMENT, type KvStream } from '../model/kv-layout.js';
import { KernelError } from './kernel-error.js';

/**
 * One sequence's KV cache: a single fp32 buffer allocated once for `maxTokens` tokens and
 * written in place, token by token. Layout (fp32 elements; w_s = width of stream s):
 *
 *   buffer ─┬─ layer 0 ─┬─ stream 0 (k0) : [token 0 | token 1 | … | token maxTokens−1] × w_0
 *           │           ├─ stream 1 (k1) : [token 0 | …                              ] × w_1
 *           │           └─ …  (v0 … or, for MLA, c0 then kr0)
 *           ├─ layer 1 ─┬─ …
 *           └─ …
 *
 *   streamOffset(l, s) = l·maxTokens·Σw + maxTokens·Σ_{s'<s} w_s'
 *   row (l, s, t)      = buffer[streamOffset(l, s) + t·w_s … + w_s)
 *
 * Because a stream's tokens are consecutive rows, its first L tokens are one contiguous
 * [L, w_s] run: `view(l, s, L)` is a Float32Array.subarray over the same ArrayBuffer (no
 * copy) that becomes a decode graph input, and a decode step writes exactly one row per
 * stream (`writeRows`).
 */
export class SequenceKv {
  /** Tokens cached so far (rows 0 … numTokens−1 of every stream are valid). */
  numTokens = 0;
  readonly buffer: Float32Array;
  private readonly offsets: number[][];
  private readonly elementsPerTokenPerLayer: number;

  constructor(
    readonly id: string,
    readonly numLayers: number,
    readonly streams: readonly KvStream[],
    readonly maxTokens: number,
  ) {
    if (!Number.isInteger(maxTokens) || maxTokens < 1) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `sequence ${id}: maxTokens must be a positive integer, got ${maxTokens}`,
      );
    }
    this.elementsPerTokenPerLayer = streams.reduce((a, s) => a + s.width, 0);
    this.buffer = new Float32Array(numLayers * maxTokens * this.elementsPerTokenPerLayer);
    this.offsets = Array.from({ length: numLayers }, (_, l) => {
      let offset = l * maxTokens * this.elementsPerTokenPerLayer;
      return streams.map((s) => {
        const o = offset;
        offset += maxTokens * s.width;
        return o;
      });
    });
  }

  /** Bytes reserved for this sequence (maxTokens of every stream of every layer). */
  get capacityBytes(): number {
    return this.buffer.byteLength;
  }

  /** Element offset of stream `s` of layer `l` in `buffer`. */
  streamOffset(layer: number, stream: number): number {
    const o = this.offsets[layer]?.[stream];
    if (o === undefined)
      throw new KernelError('INVALID_ARGUMENT', `sequence ${this.id}: no stream ${stream} in layer ${layer}`);
    return o;
  }

  /** Zero-copy view of tokens [0, numTokens) of one stream: [numTokens, width] row-major. */
  view(layer: number, stream: number, numTokens: number): Float32Array {
    const width = this.width(stream);
    const o = this.streamOffset(layer, stream);
    return this.buffer.subarray(o, o + numTokens * width);
  }

  /** Writes `rows` ([n, width] row-major) at tokens [token, token + n) of one stream. */
  writeRows(layer: number, stream: number, token: number, rows: Float32Array): void {
    const width = this.width(stream);
    const n = rows.length / width;
    if (!Number.isInteger(n) || token < 0 || token + n > this.maxTokens) {
      throw new KernelError(
        'RESOURCE_EXHAUSTED',
        `sequence ${this.id}: rows [${token}, ${token + n}) do not fit its ${this.maxTokens} reserved tokens`,
      );
    }
    this.buffer.set(rows, this.streamOffset(layer, stream) + token * width);
  }

  /**
   * Tokens [from, to) of one layer as bytes: stream by stream, each (to−from) rows of
   * width w_s fp32 little-endian — `[stream][token][element]`, Σ_s (to−from)·w_s·4 bytes.
   */
  exportLayer(layer: number, from: number, to: number): Uint8Array {
    this.checkRange(from, to, this.numTokens, 'export');
    const n = to - from;
    const out = new Float32Array(n * this.elementsPerTokenPerLayer);
    let at = 0;
    this.streams.forEach((s, k) => {
      const o = this.streamOffset(layer, k);
      out.set(this.buffer.subarray(o + from * s.width, o + to * s.width), at);
      at += n * s.width;
    });
    return new Uint8Array(out.buffer);
  }

  /** Inverse of exportLayer: writes `bytes` (same layout, n tokens) at tokens [from, from+n). */
  importLayer(layer: number, from: number, bytes: Uint8Array): number {
    const perToken = this.elementsPerTokenPerLayer * KV_BYTES_PER_ELEMENT;
    if (bytes.byteLength % perToken !== 0) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `sequence ${this.id} layer ${layer}: ${bytes.byteLength} bytes is not a whole number of ${perToken}-byte tokens`,
      );
    }
    const n = bytes.byteLength / perToken;
    // An unaligned payload is copied (`new Uint8Array(x)` copies; Buffer#slice would be a view).
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
    const values = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    let at = 0;
    this.streams.forEach((s, k) => {
      this.writeRows(layer, k, from, values.subarray(at, at + n * s.width));
      at += n * s.width;
    });
    return n;
  }

  private width(stream: number): number {
    const s = this.streams[stream];
    if (s === undefined) throw new KernelError('INVALID_ARGUMENT', `sequence ${this.id}: no stream ${stream}`);
    return s.width;
  }

  private checkRange(from: number, to: number, limit: number, what: string): void {
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to > limit) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `sequence ${this.id}: cannot ${what} tokens [${from}, ${to}) of ${limit} cached`,
      );
    }
  }
}
