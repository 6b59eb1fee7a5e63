import { type HfDraft, readBase } from './hf-dense.js';
import type { HfFields } from './hf-fields.js';
import { naturalNumber } from './zod-fields.js';

/**
 * DeepSeek-V2 / V3 `config.json` (`deepseek_v2`, `deepseek_v3`): multi-head latent attention and MoE with
 * shared experts and leading dense layers.
 *
 *   MLA   kv_lora_rank, q_lora_rank (null = no low-rank query path → 0), qk_nope_head_dim,
 *         qk_rope_head_dim, v_head_dim; the KV cache holds kv_lora_rank + qk_rope_head_dim per token per layer
 *   MoE   n_routed_experts, num_experts_per_tok, moe_intermediate_size; n_shared_experts shared experts of
 *         moe_intermediate_size each (transformers builds one MLP of n_shared · moe_intermediate_size: the
 *         same parameters); layer i is MoE when i ≥ first_k_dense_replace and i is a multiple of
 *         moe_layer_freq, else dense with intermediate_size
 *
 * As in the catalog entry, the multi-token-prediction module (`num_nextn_predict_layers`) is not counted.
 */
export function readDeepseek(f: HfFields): HfDraft {
  // transformers may save `head_dim` (= qk_rope_head_dim) here; the spec's MLA head is nope + rope (its default).
  const { headDim: _ignored, ...base } = readBase(f);
  const numLayers = base.numLayers;
  const firstDense = f.optionalCount('first_k_dense_replace', 0, naturalNumber);
  const freq = f.optionalCount('moe_layer_freq', 1);
  let numDenseLayers = Number.NaN;
  if (!Number.isNaN(numLayers) && !Number.isNaN(firstDense) && !Number.isNaN(freq)) {
    const dense: number[] = [];
    for (let i = 0; i < numLayers; i++) if (!(i >= firstDense && i % freq === 0)) dense.push(i);
    if (dense.some((layer, k) => layer !== k)) {
      f.note(
        `dense layers ${dense.join(', ')} (first_k_dense_replace, moe_layer_freq) are counted as ${dense.length} dense layers; their position is not modelled`,
      );
    }
    numDenseLayers = dense.length;
  }
  const expertWidth = f.count('moe_intermediate_size');
  const numShared = f.optionalCount('n_shared_experts', 0, naturalNumber);
  const mtp = f.optionalCount('num_nextn_predict_layers', 0, naturalNumber);
  if (mtp > 0) {
    f.note(`the multi-token-prediction module (num_nextn_predict_layers ${mtp}) is not counted`);
  }
  const quant = f.json.quantization_config as { quant_method?: unknown } | undefined;
  if (quant?.quant_method === 'fp8') {
    f.note('weights ship in FP8 (quantization_config): analyze with --precision fp8 to match the checkpoint');
  }
  return {
    ...base,
    // With MLA every head reads the shared latent: the spec's KV size comes from `mla`, numKvHeads = numHeads.
    numKvHeads: base.numHeads,
    ffn: { intermediateSize: f.count('intermediate_size'), gated: true },
    moe: {
      numExperts: f.count('n_routed_experts'),
      topK: f.count('num_experts_per_tok'),
      expertIntermediateSize: expertWidth,
      numSharedExperts: numShared,
      sharedExpertIntermediateSize: numShared > 0 ? expertWidth : 0,
      numDenseLayers,
    },
    mla: {
      kvLoraRank: f.count('kv_lora_rank'),
      qLoraRank: f.optionalCount('q_lora_rank', 0, naturalNumber),
      qkNopeHeadDim: f.count('qk_nope_head_dim'),
      qkRopeHeadDim: f.count('qk_rope_head_dim', naturalNumber),
      vHeadDim: f.count('v_head_dim'),
    },
  };
}
