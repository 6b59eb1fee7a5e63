import * as ort from 'onnxruntime-node';
import {
  type CacheInputSpec,
  concreteInput,
  decodeCacheInputSpecs,
  prefillCacheInputSpecs,
} from '../model/cache-inputs.js';
import type { TinyModelConfig } from '../model/config.js';
import { kvGroups, moeRoutingOutputName, newKvOutputName } from '../model/kv-layout.js';
import { KernelError } from './kernel-error.js';
import type { SequenceKv } from './sequence-kv.js';
import type { CachedSession } from './session-cache.js';

/**
 * Feeds and outputs of the prefill and decode graphs (contract: build-graphs.ts). Every KV
 * input is a `SequenceKv.region` — a subarray of the sequence's buffer that onnxruntime-node
 * wraps without copying — and every KV output is written back row by row in place.
 */

/** Additive causal mask [T, P+T]: query i (position P+i) sees keys 0 … P+i. */
export function causalMask(P: number, T: number): Float32Array {
  const C = P + T;
  const m = new Float32Array(T * C);
  for (let i = 0; i < T; i++) m.fill(Number.NEGATIVE_INFINITY, i * C + P + i + 1, (i + 1) * C);
  return m;
}

/** Prefill feeds for `tokens` appended after the seq's P cached tokens (prefix layouts: cache-inputs.ts). */
export function prefillFeeds(
  config: TinyModelConfig,
  seq: SequenceKv,
  tokens: readonly number[],
): Record<string, ort.Tensor> {
  const P = seq.numTokens;
  const T = tokens.length;
  const feeds: Record<string, ort.Tensor> = {
    tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [T]),
    positions: new ort.Tensor(
      'int64',
      BigInt64Array.from({ length: T }, (_, i) => BigInt(P + i)),
      [T],
    ),
    attn_mask: new ort.Tensor('float32', causalMask(P, T), [T, P + T]),
  };
  for (let l = 0; l < config.numLayers; l++) cacheFeeds(feeds, seq, l, prefillCacheInputSpecs(config, l));
  return feeds;
}

/** Decode feeds: one token per sequence, each sequence's whole cache as zero-copy views (layouts: cache-inputs.ts). */
export function decodeFeeds(
  config: TinyModelConfig,
  seqs: readonly SequenceKv[],
  tokens: readonly number[],
  short = false,
): Record<string, ort.Tensor> {
  const B = seqs.length;
  const feeds: Record<string, ort.Tensor> = {
    tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [B]),
    positions: new ort.Tensor(
      'int64',
      BigInt64Array.from(seqs, (s) => BigInt(s.numTokens)),
      [B],
    ),
  };
  seqs.forEach((seq, b) => {
    for (let l = 0; l < config.numLayers; l++) cacheFeeds(feeds, seq, l, decodeCacheInputSpecs(config, b, l, short));
  });
  return feeds;
}

/** Adds one layer's cache inputs: views of `seq`'s buffer over each spec's token range. */
function cacheFeeds(
  feeds: Record<string, ort.Tensor>,
  seq: SequenceKv,
  layer: number,
  specs: readonly CacheInputSpec[],
): void {
  for (const spec of specs) {
    const { fromToken, toToken, dims } = concreteInput(spec, seq.numTokens, seq.kTileTokens);
    feeds[spec.name] = new ort.Tensor('float32', seq.region(layer, spec.stream, fromToken, toToken), dims);
  }
}

/**
 * Writes the step's new KV rows at each sequence's current length (prefill outputs
 * [streams, T, width]; decode outputs [B, streams, width] with T = 1) and advances the lengths.
 */
export function writeNewKv(
  config: TinyModelConfig,
  outputs: ort.InferenceSession.ReturnType,
  seqs: readonly SequenceKv[],
  T: number,
  phase: 'prefill' | 'decode',
): void {
  for (let l = 0; l < config.numLayers; l++) {
    let streamBase = 0;
    for (const g of kvGroups(config)) {
      const data = tensorData(outputs, newKvOutputName(l, g.name));
      for (let i = 0; i < g.numStreams; i++) {
        seqs.forEach((seq, b) => {
          const start = phase === 'prefill' ? i * T * g.width : (b * g.numStreams + i) * g.width;
          seq.writeRows(l, streamBase + i, seq.numTokens, data.subarray(start, start + T * g.width));
        });
      }
      streamBase += g.numStreams;
    }
  }
  for (const seq of seqs) seq.numTokens += T;
}

/** MoE routing outputs (expert ids [tokens·topK] per layer), or undefined for dense models. */
export function routingOf(
  config: TinyModelConfig,
  outputs: ort.InferenceSession.ReturnType,
): BigInt64Array[] | undefined {
  if (config.moe === undefined) return undefined;
  return Array.from({ length: config.numLayers }, (_, l) => {
    const t = outputs[moeRoutingOutputName(l)];
    if (t === undefined || !(t.data instanceof BigInt64Array))
      throw new KernelError('INTERNAL', `missing MoE routing output of layer ${l}`);
    return t.data;
  });
}

/** Tokens each expert received, [layer][expert], from routing outputs. */
export function tokensPerExpert(config: TinyModelConfig, routing: readonly BigInt64Array[]): number[][] {
  const E = config.moe?.numExperts ?? 0;
  return routing.map((ids) => {
    const counts = new Array<number>(E).fill(0);
    for (const e of ids) counts[Number(e)] = (counts[Number(e)] ?? 0) + 1;
    return counts;
  });
}

/** Runs a session, timing only session.run (seconds). */
export async function timedRun(
  cached: CachedSession,
  feeds: Record<string, ort.Tensor>,
): Promise<{ outputs: ort.InferenceSession.ReturnType; seconds: number }> {
  const t0 = performance.now();
  const outputs = await cached.session.run(feeds);
  return { outputs, seconds: (performance.now() - t0) / 1000 };
}

export function tensorData(outputs: ort.InferenceSession.ReturnType, name: string): Float32Array {
  const t = outputs[name];
  if (t === undefined || !(t.data instanceof Float32Array))
    throw new KernelError('INTERNAL', `graph output ${name} missing or not fp32`);
  return t.data;
}
