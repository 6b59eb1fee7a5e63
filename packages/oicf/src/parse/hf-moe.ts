import { type HfDraft, noteBiases, noteSlidingWindow, readBase } from './hf-dense.js';
import { grouped, type HfFields } from './hf-fields.js';
import { naturalNumber } from './zod-fields.js';

/**
 * Mixture-of-experts families of Hugging Face `config.json`, mapped onto the model spec (MoeSpec):
 *
 *   family      experts             top-k                                  expert width            shared expert
 *   mixtral     num_local_experts   num_experts_per_tok                    intermediate_size       —
 *   qwen2_moe   num_experts         num_experts_per_tok                    moe_intermediate_size   shared_expert_intermediate_size (one)
 *   qwen3_moe   num_experts         num_experts_per_tok                    moe_intermediate_size   —
 *   gpt_oss     num_local_experts   num_experts_per_tok | experts_per_token intermediate_size      —
 *
 * Qwen MoE layers can be dense (`mlp_only_layers`, `decoder_sparse_step`); the spec counts dense layers
 * as a number (`numDenseLayers`, dense width `intermediate_size`), which fixes parameters, bytes and
 * FLOPs but not their position, so a non-leading dense layer is noted.
 */

export function readMixtral(f: HfFields, modelType: string): HfDraft {
  const base = readBase(f);
  noteSlidingWindow(f, modelType);
  const width = f.count('intermediate_size');
  return {
    ...base,
    ffn: { intermediateSize: width, gated: true },
    moe: moe(f.count('num_local_experts'), f.count('num_experts_per_tok'), width, 0, 0),
  };
}

export function readQwenMoe(f: HfFields, modelType: string): HfDraft {
  const base = readBase(f);
  noteBiases(f, modelType, base);
  noteSlidingWindow(f, modelType);
  const numLayers = base.numLayers;
  const numDenseLayers = Number.isNaN(numLayers) ? Number.NaN : qwenDenseLayers(f, numLayers);
  const shared = modelType === 'qwen2_moe' ? f.optionalCount('shared_expert_intermediate_size', 0, naturalNumber) : 0;
  if (shared > 0) {
    f.note(`the shared expert's sigmoid gate (hidden_size per MoE layer) is not counted`);
  }
  if (modelType === 'qwen3_moe') {
    f.note('per-head q/k RMSNorm weights (2 × head_dim per layer) are not counted (parameters, under 0.001 %)');
  }
  return {
    ...base,
    ffn: { intermediateSize: f.count('intermediate_size'), gated: true },
    moe: moe(
      f.count('num_experts'),
      f.count('num_experts_per_tok'),
      f.count('moe_intermediate_size'),
      shared > 0 ? 1 : 0,
      shared,
      numDenseLayers,
    ),
  };
}

/**
 * transformers' Qwen2Moe/Qwen3Moe decoder layer: layer i is MoE when it is not in `mlp_only_layers` and
 * (i + 1) is a multiple of `decoder_sparse_step` (default 1: every layer).
 */
function qwenDenseLayers(f: HfFields, numLayers: number): number {
  const step = f.optionalCount('decoder_sparse_step', 1);
  const mlpOnly = new Set(f.layerList('mlp_only_layers', numLayers));
  const dense: number[] = [];
  for (let i = 0; i < numLayers; i++) if (mlpOnly.has(i) || (i + 1) % step !== 0) dense.push(i);
  if (dense.some((layer, k) => layer !== k)) {
    f.note(
      `dense layers ${dense.join(', ')} (mlp_only_layers, decoder_sparse_step) are counted as ${dense.length} dense layers; their position is not modelled`,
    );
  }
  return dense.length;
}

/**
 * gpt-oss: every layer is MoE (gated experts of `intermediate_size`); attention has biases and per-head
 * sinks, alternate layers use a sliding window (`layer_types`), experts ship in MXFP4.
 */
export function readGptOss(f: HfFields, modelType: string): HfDraft {
  const base = readBase(f);
  noteSlidingWindow(f, modelType);
  const width = f.count('intermediate_size');
  const numExperts = f.count('num_local_experts');
  const { numLayers: L, numHeads: H, numKvHeads: K, hiddenSize: h } = base;
  const d = base.headDim ?? h / H;
  // Per layer: q, k, v, o biases ((H + 2K)·d + h), sinks (H), router bias (E), expert biases
  // (E · (2 · width for gate_up + h for down)).
  const biases = L * ((H + 2 * K) * d + h + H + numExperts + numExperts * (2 * width + h));
  f.note(`attention, sink, router and expert biases (${grouped(biases)} parameters) are not counted`);
  const quant = f.json.quantization_config as { quant_method?: unknown } | undefined;
  if (quant?.quant_method === 'mxfp4') {
    f.note(
      'experts are stored in MXFP4 (quantization_config) and the rest in bf16; a single --precision cannot say that: w4a16 bounds the weight bytes from below, bf16 from above',
    );
  }
  return {
    ...base,
    ffn: { intermediateSize: width, gated: true },
    moe: moe(numExperts, f.countOf(['num_experts_per_tok', 'experts_per_token']), width, 0, 0),
  };
}

function moe(
  numExperts: number,
  topK: number,
  expertIntermediateSize: number,
  numSharedExperts: number,
  sharedExpertIntermediateSize: number,
  numDenseLayers = 0,
): NonNullable<HfDraft['moe']> {
  return { numExperts, topK, expertIntermediateSize, numSharedExperts, sharedExpertIntermediateSize, numDenseLayers };
}
