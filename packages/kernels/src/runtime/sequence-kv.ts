import { DEFAULT_K_TILE_TOKENS, isTiledStream } from '../model/cache-inputs.js';
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
 *   memory of token t  = buffer[streamOffset(l, s) + t·w_s … + w_s)
 *
 * A stream's first L tokens are one contiguous run, so `region(l, s, 0, L)` is a
 * Float32Array.subarray over the same ArrayBuffer (no copy) that becomes a graph input, and a
 * decode step writes one token per stream (`writeRows`).
 *
 * Tiled streams (dense K) group tokens in tiles of T = kTileTokens. A tile lying wholly below
 * numTokens is *sealed*: its T·w elements hold the tile transposed, [w, T] (element e of token
 * j·T + i at e·T + i), which makes q·Kᵀ a streaming GEMV (cache-inputs.ts). Other tiles are
 * *open*: row-major, as every other stream. Setting numTokens seals tiles that became full and
 * unseals (transposes back) those that no longer are, so the invariant always holds:
 *
 *   K stream:  [ tile 0 ᵀ | tile 1 ᵀ | … | tile nT−1 ᵀ | open rows nT·T … L−1 | unused ]
 *                 sealed: [w, T] each                   row-major
 *
 * Sealing costs one T × w transpose per tile per K stream, i.e. O(w) per token.
 */
export class SequenceKv {
  readonly buffer: Float32Array;
  private count = 0;
  private readonly offsets: number[][];
  private readonly elementsPerTokenPerLayer: number;
  private readonly tiled: boolean[];
  private scratch: Float32Array | undefined;

  constructor(
    readonly id: string,
    readonly numLayers: number,
    readonly streams: readonly KvStream[],
    readonly maxTokens: number,
    readonly kTileTokens: number = DEFAULT_K_TILE_TOKENS,
  ) {
    if (!Number.isInteger(maxTokens) || maxTokens < 1) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `sequence ${id}: maxTokens must be a positive integer, got ${maxTokens}`,
      );
    }
    if (!Number.isInteger(kTileTokens) || kTileTokens < 1) {
      throw new KernelError(
        'INVALID_ARGUMENT',
        `sequence ${id}: kTileTokens must be a positive integer, got ${kTileTokens}`,
      );
    }
    this.elementsPerTokenPerLayer = streams.reduce((a, s) => a + s.width, 0);
    this.buffer = new Float32Array(numLayers * maxTokens * this.elementsPerTokenPerLayer);
    this.tiled = streams.map(isTiledStream);
    this.offsets = Array.from({ length: numLayers }, (_, l) => {
      let offset = l * maxTokens * this.elementsPerTokenPerLayer;
      return streams.map((s) => {
        const o = offset;
        offset += maxTokens * s.width;
        return o;
      });
    });
  }

  /** Tokens cached (rows 0 … numTokens−1 of every stream are valid); setting it (re)seals K tiles. */
  get numTokens(): number {
    return this.count;
  }

  set numTokens(n: number) {
    if (!Number.isInteger(n) || n < 0 || n > this.maxTokens) {
      throw new KernelError('INVALID_ARGUMENT', `sequence ${this.id}: numTokens ${n} not in [0, ${this.maxTokens}]`);
    }
    const T = this.kTileTokens;
    const before = Math.floor(this.count / T);
    const after = Math.floor(n / T);
    for (let j = before; j < after; j++) this.transposeTiles(j, 'seal');
    for (let j = before - 1; j >= after; j--) this.transposeTiles(j, 'unseal');
    this.count = n;
  }

  /** Sealed K tiles: tiles 0 … sealedTiles−1 of every tiled stream hold [w, T]. */
  get sealedTiles(): number {
    return Math.floor(this.count / this.kTileTokens);
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

  /**
   * Zero-copy view of the memory of tokens [fromToken, toToken) of one stream: row-major
   * [n, width], except that sealed K tiles in the range hold their [width, T] transpose.
   */
  region(layer: number, stream: number, fromToken: number, toToken: number): Float32Array {
    this.checkRange(fromToken, toToken, this.maxTokens, 'view');
    const width = this.width(stream);
    const o = this.streamOffset(layer, stream);
    return this.buffer.subarray(o + fromToken * width, o + toToken * width);
  }

  /** region(layer, stream, 0, numTokens) — what a graph input over the whole cache reads. */
  view(layer: number, stream: number, numTokens: number): Float32Array {
    return this.region(layer, stream, 0, numTokens);
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
    const o = this.streamOffset(layer, stream);
    const sealedEnd = this.tiled[stream] ? this.sealedTiles * this.kTileTokens : 0;
    // Rows in sealed tiles go to their transposed places; the rest is one row-major copy.
    const split = Math.min(Math.max(sealedEnd - token, 0), n);
    for (let i = 0; i < split; i++) {
      const t = token + i;
      const at = this.sealedIndex(o, width, t);
      for (let e = 0; e < width; e++) this.buffer[at + e * this.kTileTokens] = rows[i * width + e] ?? 0;
    }
    if (split < n) this.buffer.set(rows.subarray(split * width), o + (token + split) * width);
  }

  /**
   * Tokens [from, to) of one layer as bytes: stream by stream, each (to−from) rows of
   * width w_s fp32 little-endian — `[stream][token][element]`, Σ_s (to−from)·w_s·4 bytes
   * (sealed K tiles are read back row by row).
   */
  exportLayer(layer: number, from: number, to: number): Uint8Array {
    this.checkRange(from, to, this.numTokens, 'export');
    const n = to - from;
    const out = new Float32Array(n * this.elementsPerTokenPerLayer);
    let at = 0;
    this.streams.forEach((s, k) => {
      const o = this.streamOffset(layer, k);
      const sealedEnd = this.tiled[k] ? this.sealedTiles * this.kTileTokens : 0;
      for (let t = from; t < Math.min(to, sealedEnd); t++) {
        const src = this.sealedIndex(o, s.width, t);
        for (let e = 0; e < s.width; e++)
          out[at + (t - from) * s.width + e] = this.buffer[src + e * this.kTileTokens] ?? 0;
      }
      const rowStart = Math.max(from, Math.min(to, sealedEnd));
      out.set(this.buffer.subarray(o + rowStart * s.width, o + to * s.width), at + (rowStart - from) * s.width);
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

  /** Element index of element 0 of token t in its sealed tile (element e at + e·T). */
  private sealedIndex(streamOffset: number, width: number, t: number): number {
    const T = this.kTileTokens;
    return streamOffset + Math.floor(t / T) * T * width + (t % T);
  }

  /** Transposes tile j of every tiled stream of every layer: [T, w] → [w, T] (seal) or back. */
  private transposeTiles(j: number, direction: 'seal' | 'unseal'): void {
    const T = this.kTileTokens;
    this.streams.forEach((s, k) => {
      if (!this.tiled[k]) return;
      const w = s.width;
      if (this.scratch === undefined || this.scratch.length < T * w) this.scratch = new Float32Array(T * w);
      const scratch = this.scratch.subarray(0, T * w);
      for (let l = 0; l < this.numLayers; l++) {
        const tile = this.buffer.subarray(
          this.streamOffset(l, k) + j * T * w,
          this.streamOffset(l, k) + (j + 1) * T * w,
        );
        scratch.set(tile);
        const [rows, cols] = direction === 'seal' ? [T, w] : [w, T];
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) tile[c * rows + r] = scratch[r * cols + c] ?? 0;
      }
    });
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
        `sequence ${this.id}: cannot ${what} tokens [${from}, ${to}) of ${limit} ${what === 'view' ? 'reserved' : 'cached'}`,
      );
    }
  }
}
