import type { TinyModelConfig } from './config.js';
import { decodeKvInputName, type KvStream, kvStreams, pastInputName } from './kv-layout.js';

/**
 * How a graph receives a sequence's cache of one layer: which row ranges of each stream's
 * buffer (sequence-kv.ts) it reads, with which dims. Every input is a zero-copy view of that
 * buffer; a layout here is a choice of ranges and dims only. With L cached tokens (P in prefill):
 *
 *   k<h> (dense)  kv.b<s>.l<l>.k<h>        sealed tiles [0, nT·T)   dims [nT, w, T]   (decode and
 *                 kv.b<s>.l<l>.k<h>.open   open rows [nT·T, L)      dims [1, o, w]     prefill alike)
 *   v<h> (dense)  kv.b<s>.l<l>.v<h>.lead   rows [0, r)              dims [1, r, w]     (decode)
 *                 kv.b<s>.l<l>.v<h>        rows [r, L)              dims [NB, m, w]
 *                 past.l<l>.v<h>           rows [0, P)              dims [P, w]        (prefill)
 *   c0, kr0 (MLA) one input                rows [0, L)              dims [L, w]
 *
 *   nT = ⌊L/T⌋, o = L mod T (T = K tile tokens, sequence-kv.ts); r = L mod NB, m = ⌊L/NB⌋.
 *
 * Why K is tiled: q·Kᵀ over row-major [L, 64] runs as Gemm(transB) with M = 1, whose kernel
 * is compute-bound (64-long dot products: measured 33–40 GB/s with 2 threads). Over sealed tiles
 * — each T tokens stored as [w, T] columns — it is a batched MatMul q·tile whose kernel streams
 * rows of T floats (measured 48 GB/s where the stream read 60–70 GB/s).
 *
 * Why V is blocked: p·V over [L, 64] is MatMul [1, L]·[L, w]; with M = 1 onnxruntime splits the
 * w = 64 output columns across threads, so each thread streams every row but reads only part of
 * it (24–30 GB/s). As a batched MatMul [NB, 1, m]·[NB, m, w] each thread streams whole blocks
 * (42–59 GB/s, near the stream read), and the block sums add up in a ReduceSum. The rows are
 * only regrouped (lead, then NB blocks), so V needs no special storage.
 */

/**
 * Tokens per sealed K tile (sequence-kv.ts) unless the runner says otherwise: 256 and 1024
 * measured alike (48 GB/s); 256 keeps the open rows, read by the slower Gemm, few.
 */
export const DEFAULT_K_TILE_TOKENS = 256;

/** Prompt tokens per prefill graph call by default (KernelRunner runs longer prompts as chunks of this many). */
export const DEFAULT_PREFILL_CHUNK_TOKENS = 1024;

/** Row blocks a dense V stream is fed as (4 measured best of 2/4/8 with 2 threads; any thread count works). */
export const DECODE_V_BLOCKS = 4;

export type CacheInputKind = 'rows' | 'k-tiles' | 'k-open' | 'v-lead' | 'v-blocks' | 'v-all';

export interface CacheInputSpec {
  readonly name: string;
  /** Index of the stream in kvStreams(config). */
  readonly stream: number;
  readonly width: number;
  readonly kind: CacheInputKind;
}

/** Whether a stream's buffer is tiled (dense K; see sequence-kv.ts). */
export function isTiledStream(stream: KvStream): boolean {
  return stream.group === 'k';
}

/** Name of the open-rows input of the K stream fed as `name` (its tiles). */
export const openInputName = (name: string): string => `${name}.open`;
/** Name of the lead-rows input of the V stream fed as `name` (its blocks). */
export const leadInputName = (name: string): string => `${name}.lead`;

/** The symbolic dims of one sequence's cache (decode: per sequence `b<s>`; prefill: the prefix). */
interface DimNames {
  readonly tokens: string;
  readonly tiles: string;
  readonly open: string;
  readonly lead: string;
  readonly blocks: string;
}

const decodeDims = (seq: number): DimNames => ({
  tokens: `contextTokens.b${seq}`,
  tiles: `kTiles.b${seq}`,
  open: `kOpenTokens.b${seq}`,
  lead: `kvLeadTokens.b${seq}`,
  blocks: `kvBlockTokens.b${seq}`,
});
/** Decode dim of sequence `seq`'s cached tokens L. */
export const contextDim = (seq: number): string => decodeDims(seq).tokens;

const PREFILL_DIMS: DimNames = {
  tokens: 'numPastTokens',
  tiles: 'numPastTiles',
  open: 'numPastOpenTokens',
  lead: 'numPastLeadTokens',
  blocks: 'numPastBlockTokens',
};

/** Sealed tiles, open K rows, V lead rows and rows per V block at L cached tokens. */
export function cacheSplit(
  numTokens: number,
  kTileTokens: number,
): { tiles: number; openTokens: number; leadTokens: number; blockTokens: number } {
  const openTokens = numTokens % kTileTokens;
  const leadTokens = numTokens % DECODE_V_BLOCKS;
  return {
    tiles: (numTokens - openTokens) / kTileTokens,
    openTokens,
    leadTokens,
    blockTokens: (numTokens - leadTokens) / DECODE_V_BLOCKS,
  };
}

function dimValues(names: DimNames, numTokens: number, kTileTokens: number): Record<string, number> {
  const s = cacheSplit(numTokens, kTileTokens);
  return {
    [names.tokens]: numTokens,
    [names.tiles]: s.tiles,
    [names.open]: s.openTokens,
    [names.lead]: s.leadTokens,
    [names.blocks]: s.blockTokens,
  };
}

/** Values of sequence `seq`'s decode dims at L cached tokens. */
export function decodeCacheDims(seq: number, numTokens: number, kTileTokens: number): Record<string, number> {
  return dimValues(decodeDims(seq), numTokens, kTileTokens);
}

/** Values of the prefill prefix dims at P cached tokens. */
export function prefillCacheDims(numPastTokens: number, kTileTokens: number): Record<string, number> {
  return dimValues(PREFILL_DIMS, numPastTokens, kTileTokens);
}

/**
 * Decode cache inputs of sequence `seq`, layer `layer`, in a fixed order. `short`: the layout of the
 * short-context decode graph, for batches whose every sequence has fewer cached tokens than a K tile
 * (so nothing is sealed): K as its open rows only, V as all its rows in one [1, L, w] input.
 */
export function decodeCacheInputSpecs(
  config: TinyModelConfig,
  seq: number,
  layer: number,
  short = false,
): CacheInputSpec[] {
  return specs(config, (id) => decodeKvInputName(seq, layer, id), short ? 'short' : 'blocks');
}

/** Whether a decode batch at these cached lengths can use the short-context graph (no sealed K tile). */
export function isShortDecode(config: TinyModelConfig, numTokens: readonly number[], kTileTokens: number): boolean {
  return config.mla === undefined && numTokens.every((n) => n < kTileTokens);
}

/** Prefill cache (prefix) inputs of layer `layer`, in a fixed order. */
export function prefillCacheInputSpecs(config: TinyModelConfig, layer: number): CacheInputSpec[] {
  return specs(config, (id) => pastInputName(layer, id), 'rows');
}

/** How V is fed: row blocks (decode), all rows (short-context decode), or plain rows (prefill). */
type VLayout = 'blocks' | 'short' | 'rows';

function specs(config: TinyModelConfig, nameOf: (id: string) => string, v: VLayout): CacheInputSpec[] {
  return kvStreams(config).flatMap((s, stream): CacheInputSpec[] => {
    const name = nameOf(s.id);
    const base = { stream, width: s.width };
    if (isTiledStream(s) && v === 'short') return [{ name: openInputName(name), ...base, kind: 'k-open' }];
    if (isTiledStream(s))
      return [
        { name, ...base, kind: 'k-tiles' },
        { name: openInputName(name), ...base, kind: 'k-open' },
      ];
    if (s.group === 'v' && v === 'short') return [{ name, ...base, kind: 'v-all' }];
    if (s.group === 'v' && v === 'blocks')
      return [
        { name: leadInputName(name), ...base, kind: 'v-lead' },
        { name, ...base, kind: 'v-blocks' },
      ];
    return [{ name, ...base, kind: 'rows' }];
  });
}

/** Symbolic dims an input declares: decode (`seq` = its sequence) or prefill (`seq` undefined). */
export function symbolicDims(spec: CacheInputSpec, seq: number | undefined, kTileTokens: number): (number | string)[] {
  const n = seq === undefined ? PREFILL_DIMS : decodeDims(seq);
  switch (spec.kind) {
    case 'rows':
      return [n.tokens, spec.width];
    case 'k-tiles':
      return [n.tiles, spec.width, kTileTokens];
    case 'k-open':
      return [1, n.open, spec.width];
    case 'v-lead':
      return [1, n.lead, spec.width];
    case 'v-blocks':
      return [DECODE_V_BLOCKS, n.blocks, spec.width];
    case 'v-all':
      return [1, n.tokens, spec.width];
  }
}

/** Token range [fromToken, toToken) of the stream's buffer an input covers, and its dims, at L tokens. */
export function concreteInput(
  spec: CacheInputSpec,
  numTokens: number,
  kTileTokens: number,
): { fromToken: number; toToken: number; dims: number[] } {
  const s = cacheSplit(numTokens, kTileTokens);
  const sealed = s.tiles * kTileTokens;
  switch (spec.kind) {
    case 'rows':
      return { fromToken: 0, toToken: numTokens, dims: [numTokens, spec.width] };
    case 'k-tiles':
      return { fromToken: 0, toToken: sealed, dims: [s.tiles, spec.width, kTileTokens] };
    case 'k-open':
      return { fromToken: sealed, toToken: numTokens, dims: [1, s.openTokens, spec.width] };
    case 'v-lead':
      return { fromToken: 0, toToken: s.leadTokens, dims: [1, s.leadTokens, spec.width] };
    case 'v-blocks':
      return { fromToken: s.leadTokens, toToken: numTokens, dims: [DECODE_V_BLOCKS, s.blockTokens, spec.width] };
    case 'v-all':
      return { fromToken: 0, toToken: numTokens, dims: [1, numTokens, spec.width] };
  }
}
