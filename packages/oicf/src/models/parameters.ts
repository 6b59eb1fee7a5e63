import { bytesPerElement } from '../precision.js';
import type { ModelSpec, ParameterCount, PrecisionConfig } from '../types.js';

// Parameter counts in elements. Norms are RMSNorm (one weight vector, no bias): two per layer plus
// the final norm; MLA adds the q_a (if qLoraRank > 0) and kv_a norms. Routers are hidden × E
// (DeepSeek's 256-element score-correction bias is ignored: < 1e-8 of the model).

/** Elements of one FFN: gated = gate + up + down, else up + down. */
export function ffnParameters(hiddenSize: number, intermediateSize: number, gated: boolean): number {
  return (gated ? 3 : 2) * hiddenSize * intermediateSize;
}

/** Attention projection parameters of one layer (Q, K, V, O or the MLA set), norms excluded. */
export function attentionParameters(model: ModelSpec): number {
  const h = model.hiddenSize;
  const mla = model.mla;
  if (!mla) {
    const qo = 2 * h * model.numHeads * model.headDim;
    const kv = 2 * h * model.numKvHeads * model.headDim;
    return qo + kv;
  }
  const qkHeadDim = mla.qkNopeHeadDim + mla.qkRopeHeadDim;
  const q =
    mla.qLoraRank > 0 ? h * mla.qLoraRank + mla.qLoraRank * model.numHeads * qkHeadDim : h * model.numHeads * qkHeadDim;
  const kvA = h * (mla.kvLoraRank + mla.qkRopeHeadDim);
  const kvB = mla.kvLoraRank * model.numHeads * (mla.qkNopeHeadDim + mla.vHeadDim);
  const o = model.numHeads * mla.vHeadDim * h;
  return q + kvA + kvB + o;
}

/** Number of layers with a dense FFN and with MoE. */
export function layerCounts(model: ModelSpec): { numDenseLayers: number; numMoeLayers: number } {
  if (!model.moe) return { numDenseLayers: model.numLayers, numMoeLayers: 0 };
  return { numDenseLayers: model.moe.numDenseLayers, numMoeLayers: model.numLayers - model.moe.numDenseLayers };
}

export function parameterCount(model: ModelSpec): ParameterCount {
  const h = model.hiddenSize;
  const { numDenseLayers, numMoeLayers } = layerCounts(model);
  const numEmbedding = model.vocabSize * h;
  const numLmHead = model.tiedEmbeddings ? 0 : model.vocabSize * h;
  const numAttention = model.numLayers * attentionParameters(model);
  const numDenseFfn = numDenseLayers * ffnParameters(h, model.ffn.intermediateSize, model.ffn.gated);
  const moe = model.moe;
  const expert = moe ? ffnParameters(h, moe.expertIntermediateSize, model.ffn.gated) : 0;
  const shared = moe ? moe.numSharedExperts * ffnParameters(h, moe.sharedExpertIntermediateSize, model.ffn.gated) : 0;
  const numRoutedExperts = moe ? numMoeLayers * moe.numExperts * expert : 0;
  const numSharedExperts = numMoeLayers * shared;
  const numRouter = moe ? numMoeLayers * h * moe.numExperts : 0;
  const mlaNorms = model.mla ? model.mla.qLoraRank + model.mla.kvLoraRank : 0;
  const numNorm = model.numLayers * (2 * h + mlaNorms) + h;
  const numTotal =
    numEmbedding + numLmHead + numAttention + numDenseFfn + numRoutedExperts + numSharedExperts + numRouter + numNorm;
  const activeExperts = moe ? numMoeLayers * moe.topK * expert : 0;
  const numActivePerToken =
    numTotal - numEmbedding + (model.tiedEmbeddings ? numEmbedding : 0) - numRoutedExperts + activeExperts;
  return {
    numEmbedding,
    numLmHead,
    numAttention,
    numDenseFfn,
    numRoutedExperts,
    numSharedExperts,
    numRouter,
    numNorm,
    numTotal,
    numActivePerToken,
  };
}

/** Bytes of all weights resident in memory (embeddings and lm_head included). */
export function weightBytes(model: ModelSpec, precision: PrecisionConfig): number {
  return parameterCount(model).numTotal * bytesPerElement(precision.weights);
}

/** KV cache elements per token per layer: MHA/GQA 2·numKvHeads·headDim; MLA kvLoraRank + rope. */
export function kvElementsPerTokenPerLayer(model: ModelSpec): number {
  if (model.mla) return model.mla.kvLoraRank + model.mla.qkRopeHeadDim;
  return 2 * model.numKvHeads * model.headDim;
}

/** KV cache bytes per token over all layers. Llama-3.1-70B bf16: 80·2·8·128·2 = 327,680. */
export function kvBytesPerToken(model: ModelSpec, precision: PrecisionConfig): number {
  return model.numLayers * kvElementsPerTokenPerLayer(model) * bytesPerElement(precision.kv);
}
