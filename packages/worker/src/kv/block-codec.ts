import { blockChecksum } from '@oicf/kv';

/**
 * KV block payloads: the bytes one block of KV occupies on the wire and in caches.
 *
 *   payload = L_0 ‖ L_1 ‖ … ‖ L_{numLayers−1}        L_l = runner.exportKv(seq, first, first + n)[l]
 *   L_l     = [stream][token][element] fp32 little-endian (packages/kernels SequenceKv.exportLayer)
 *
 * Every layer holds the same byte count (n tokens × elements per token per layer × 4), so a payload
 * splits back into layers by length alone. The checksum is XXH32 (seed 0) of the whole payload
 * (`blockChecksum` of @oicf/kv), carried in every kv.put, kv.block and kv.handoff; receivers verify
 * it with `checkBlock` of @oicf/pool-client.
 */

/** The runner side the codec reads KV from (KernelRunner fits). */
export interface KvExporter {
  exportKv(seqId: string, fromToken: number, toToken: number): Uint8Array[];
}

/** The runner side the codec writes KV into (KernelRunner fits). */
export interface KvImporter {
  importKv(seqId: string, fromToken: number, layers: readonly Uint8Array[], opts?: { maxTokens?: number }): number;
}

/** One block (or the trailing partial block) of a sequence's KV, ready to send or cache. */
export interface KvBlockPayload {
  /** Hash-chain id for a full, block-aligned range; '' for a partial block. */
  readonly blockId: string;
  readonly firstToken: number;
  readonly numTokens: number;
  readonly payload: Uint8Array;
  /** XXH32 (seed 0) of payload. */
  readonly checksum: number;
}

/** A token range cut at block boundaries: [firstToken, firstToken + numTokens) inside block `index`. */
export interface BlockRange {
  readonly index: number;
  readonly firstToken: number;
  readonly numTokens: number;
  /** The range is the whole block `index` (aligned and blockTokens long). */
  readonly full: boolean;
}

/** Cuts [fromToken, toToken) at multiples of blockTokens. */
export function blockRanges(fromToken: number, toToken: number, blockTokens: number): BlockRange[] {
  if (!Number.isInteger(fromToken) || !Number.isInteger(toToken) || fromToken < 0 || toToken < fromToken) {
    throw new RangeError(`blockRanges: [${fromToken}, ${toToken}) is not a token range`);
  }
  const out: BlockRange[] = [];
  for (let first = fromToken; first < toToken; ) {
    const index = Math.floor(first / blockTokens);
    const end = Math.min(toToken, (index + 1) * blockTokens);
    out.push({ index, firstToken: first, numTokens: end - first, full: end - first === blockTokens });
    first = end;
  }
  return out;
}

/** Concatenates per-layer KV into one payload. */
export function encodePayload(layers: readonly Uint8Array[]): Uint8Array {
  const total = layers.reduce((sum, l) => sum + l.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const l of layers) {
    out.set(l, at);
    at += l.byteLength;
  }
  return out;
}

/** Splits a payload back into `numLayers` equal views (no copy); undefined when it does not divide. */
export function splitPayload(payload: Uint8Array, numLayers: number): Uint8Array[] | undefined {
  if (numLayers < 1 || payload.byteLength % numLayers !== 0) return undefined;
  const per = payload.byteLength / numLayers;
  return Array.from({ length: numLayers }, (_, l) => payload.subarray(l * per, (l + 1) * per));
}

/**
 * Exports tokens [fromToken, toToken) of `seqId` as block payloads cut at block boundaries.
 * `blockIds[i]` names full block i of the sequence (its hash chain); partial ranges get ''.
 */
export function exportBlocks(
  runner: KvExporter,
  seqId: string,
  range: { fromToken: number; toToken: number; blockTokens: number; blockIds: readonly string[] },
): KvBlockPayload[] {
  return blockRanges(range.fromToken, range.toToken, range.blockTokens).map((r) => {
    const payload = encodePayload(runner.exportKv(seqId, r.firstToken, r.firstToken + r.numTokens));
    return {
      blockId: r.full ? (range.blockIds[r.index] ?? '') : '',
      firstToken: r.firstToken,
      numTokens: r.numTokens,
      payload,
      checksum: blockChecksum(payload),
    };
  });
}

/**
 * Imports one payload at `firstToken` of `seqId` (creating the sequence with `maxTokens` reserved).
 * The payload must already be verified; returns the sequence's cached length afterwards.
 */
export function importPayload(
  runner: KvImporter,
  seqId: string,
  firstToken: number,
  payload: Uint8Array,
  numLayers: number,
  maxTokens: number,
): number {
  // Float32 views need 4-byte alignment; a payload received inside a frame often is not. Copy it once
  // here (`new Uint8Array(view)` copies; Buffer#slice would not).
  const aligned = payload.byteOffset % 4 === 0 ? payload : new Uint8Array(payload);
  const layers = splitPayload(aligned, numLayers);
  if (layers === undefined) {
    throw new RangeError(`importPayload ${seqId}: ${payload.byteLength} bytes do not split into ${numLayers} layers`);
  }
  return runner.importKv(seqId, firstToken, layers, { maxTokens });
}
