import type { Graph } from '../onnx/graph.js';
import { encodeModel } from '../onnx/onnx-codec.js';
import { buildDecodeGraph, buildPrefillGraph, type PrefillGraphOptions } from './build-graphs.js';
import { parseModelConfig, type TinyModelConfig } from './config.js';
import { WeightStore } from './weight-store.js';

/** One tiny model's graphs, all sharing one set of generated weights. */
export interface BuiltModel {
  readonly config: TinyModelConfig;
  readonly weights: WeightStore;
  prefillGraph(opts?: PrefillGraphOptions): Graph;
  decodeGraph(batch: number): Graph;
  /** ModelProto bytes of the prefill graph (logits for every token unless opts say 'last'). */
  prefill(opts?: PrefillGraphOptions): Uint8Array;
  /** ModelProto bytes of the decode graph for `batch` sequences. */
  decode(batch: number): Uint8Array;
}

/** Validates `config` (throws ModelConfigError listing every bad field) and returns its graph factory. */
export function buildModel(config: unknown): BuiltModel {
  const c = parseModelConfig(config);
  const weights = new WeightStore(c);
  const prefillGraph = (opts: PrefillGraphOptions = { logits: 'all' }) => buildPrefillGraph(weights, opts);
  const decodeGraph = (batch: number) => buildDecodeGraph(weights, batch);
  return {
    config: c,
    weights,
    prefillGraph,
    decodeGraph,
    prefill: (opts) => encodeModel(prefillGraph(opts)),
    decode: (batch) => encodeModel(decodeGraph(batch)),
  };
}
