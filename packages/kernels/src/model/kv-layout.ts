import type { TinyModelConfig } from './config.js';

/**
 * What one layer caches per token, as named "streams" of fp32 rows. A stream is the unit the
 * runner stores contiguously ([maxTokens, width] per sequence) and passes to a decode graph as
 * one zero-copy [L, width] input.
 *
 *   MHA/GQA/MQA: groups k (numKvHeads streams k0…, width headDim) and v (v0…, width headDim)
 *   MLA:         groups c (1 stream: the kv_lora_rank latent) and kr (1 stream: the shared
 *                rope key, qk_rope_head_dim), i.e. kvLoraRank + ropeDim elements per token
 */
export interface KvGroup {
  readonly name: 'k' | 'v' | 'c' | 'kr';
  readonly numStreams: number;
  /** fp32 elements per token per stream. */
  readonly width: number;
}

export interface KvStream {
  readonly group: KvGroup['name'];
  /** Index within the group (the KV head for k/v). */
  readonly index: number;
  readonly width: number;
  /** `k0`, `v3`, `c0`, `kr0`: suffix of graph input names. */
  readonly id: string;
}

/** Bytes per cached element: KV stays fp32 in every variant. */
export const KV_BYTES_PER_ELEMENT = 4;

export function kvGroups(c: TinyModelConfig): readonly KvGroup[] {
  if (c.mla) {
    return [
      { name: 'c', numStreams: 1, width: c.mla.kvLoraRank },
      { name: 'kr', numStreams: 1, width: c.mla.qkRopeHeadDim },
    ];
  }
  return [
    { name: 'k', numStreams: c.numKvHeads, width: c.headDim },
    { name: 'v', numStreams: c.numKvHeads, width: c.headDim },
  ];
}

/** Streams of one layer in storage order (all of group 0, then group 1). */
export function kvStreams(c: TinyModelConfig): readonly KvStream[] {
  return kvGroups(c).flatMap((g) =>
    Array.from({ length: g.numStreams }, (_, index) => ({
      group: g.name,
      index,
      width: g.width,
      id: `${g.name}${index}`,
    })),
  );
}

/** fp32 elements cached per token per layer (MHA/GQA: 2·kvHeads·headDim; MLA: rank + rope). */
export function kvElementsPerTokenPerLayer(c: TinyModelConfig): number {
  return kvGroups(c).reduce((a, g) => a + g.numStreams * g.width, 0);
}

/** Bytes cached per token over all layers. */
export function kvBytesPerToken(c: TinyModelConfig): number {
  return c.numLayers * kvElementsPerTokenPerLayer(c) * KV_BYTES_PER_ELEMENT;
}

/** Prefill graph input holding layer `layer`'s cached prefix of stream `id`: [P, width]. */
export const pastInputName = (layer: number, id: string): string => `past.l${layer}.${id}`;
/** Decode graph input holding sequence `seq`'s cache of stream `id` in layer `layer`: [L, width]. */
export const decodeKvInputName = (seq: number, layer: number, id: string): string => `kv.b${seq}.l${layer}.${id}`;
/** Graph output with the new tokens' rows of group `group` in layer `layer`. */
export const newKvOutputName = (layer: number, group: string): string => `new_kv.l${layer}.${group}`;
/** Graph output with the MoE routing of layer `layer`: expert ids [tokens, topK]. */
export const moeRoutingOutputName = (layer: number): string => `moe.l${layer}.experts`;
