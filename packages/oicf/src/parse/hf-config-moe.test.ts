import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { getModel } from '../models/lookup.js';
import { kvBytesPerToken, parameterCount } from '../models/parameters.js';
import { parseHfConfig } from './hf-config.js';

// MoE and MLA families. Configs are written from the public config.json of the named Hugging Face repo;
// expected figures are derived by hand in the comments and compared with the model cards.

const bf16 = { weights: 'bf16', kv: 'bf16', activations: 'bf16' } as const;

function withoutNames<T extends { id: string; displayName: string; source: string }>(m: T) {
  const { id: _a, displayName: _b, source: _c, ...rest } = m;
  return rest;
}

// mistralai/Mixtral-8x7B-v0.1 config.json.
const MIXTRAL = {
  architectures: ['MixtralForCausalLM'],
  hidden_size: 4096,
  intermediate_size: 14336,
  max_position_embeddings: 32768,
  model_type: 'mixtral',
  num_attention_heads: 32,
  num_experts_per_tok: 2,
  num_hidden_layers: 32,
  num_key_value_heads: 8,
  num_local_experts: 8,
  sliding_window: null,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  vocab_size: 32000,
};

// Qwen/Qwen3-30B-A3B config.json (not in the catalog).
const QWEN3_30B_A3B = {
  architectures: ['Qwen3MoeForCausalLM'],
  decoder_sparse_step: 1,
  head_dim: 128,
  hidden_size: 2048,
  intermediate_size: 6144,
  max_position_embeddings: 40960,
  mlp_only_layers: [],
  model_type: 'qwen3_moe',
  moe_intermediate_size: 768,
  norm_topk_prob: true,
  num_attention_heads: 32,
  num_experts: 128,
  num_experts_per_tok: 8,
  num_hidden_layers: 48,
  num_key_value_heads: 4,
  sliding_window: null,
  use_sliding_window: false,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  vocab_size: 151936,
};

// Qwen/Qwen1.5-MoE-A2.7B config.json (qwen2_moe, one shared expert).
const QWEN15_MOE = {
  architectures: ['Qwen2MoeForCausalLM'],
  decoder_sparse_step: 1,
  hidden_size: 2048,
  intermediate_size: 5632,
  max_position_embeddings: 8192,
  mlp_only_layers: [],
  model_type: 'qwen2_moe',
  moe_intermediate_size: 1408,
  num_attention_heads: 16,
  num_experts: 60,
  num_experts_per_tok: 4,
  num_hidden_layers: 24,
  num_key_value_heads: 16,
  shared_expert_intermediate_size: 5632,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  vocab_size: 151936,
};

// deepseek-ai/DeepSeek-V3 config.json.
const DEEPSEEK_V3 = {
  architectures: ['DeepseekV3ForCausalLM'],
  first_k_dense_replace: 3,
  hidden_size: 7168,
  intermediate_size: 18432,
  kv_lora_rank: 512,
  max_position_embeddings: 163840,
  model_type: 'deepseek_v3',
  moe_intermediate_size: 2048,
  moe_layer_freq: 1,
  n_routed_experts: 256,
  n_shared_experts: 1,
  num_attention_heads: 128,
  num_experts_per_tok: 8,
  num_hidden_layers: 61,
  num_key_value_heads: 128,
  num_nextn_predict_layers: 1,
  q_lora_rank: 1536,
  qk_nope_head_dim: 128,
  qk_rope_head_dim: 64,
  quantization_config: {
    activation_scheme: 'dynamic',
    fmt: 'e4m3',
    quant_method: 'fp8',
    weight_block_size: [128, 128],
  },
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  v_head_dim: 128,
  vocab_size: 129280,
};

// deepseek-ai/DeepSeek-V2-Lite config.json: no low-rank query path (q_lora_rank null), 2 shared experts.
const DEEPSEEK_V2_LITE = {
  architectures: ['DeepseekV2ForCausalLM'],
  first_k_dense_replace: 1,
  hidden_size: 2048,
  intermediate_size: 10944,
  kv_lora_rank: 512,
  max_position_embeddings: 163840,
  model_type: 'deepseek_v2',
  moe_intermediate_size: 1408,
  moe_layer_freq: 1,
  n_routed_experts: 64,
  n_shared_experts: 2,
  num_attention_heads: 16,
  num_experts_per_tok: 6,
  num_hidden_layers: 27,
  num_key_value_heads: 16,
  q_lora_rank: null,
  qk_nope_head_dim: 128,
  qk_rope_head_dim: 64,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  v_head_dim: 128,
  vocab_size: 102400,
};

// openai/gpt-oss-20b config.json: alternating sliding (128) and full attention layers.
const GPT_OSS_20B = {
  architectures: ['GptOssForCausalLM'],
  attention_bias: true,
  experts_per_token: 4,
  head_dim: 64,
  hidden_size: 2880,
  intermediate_size: 2880,
  layer_types: Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention')),
  max_position_embeddings: 131072,
  model_type: 'gpt_oss',
  num_attention_heads: 64,
  num_experts_per_tok: 4,
  num_hidden_layers: 24,
  num_key_value_heads: 8,
  num_local_experts: 32,
  quantization_config: { modules_to_not_convert: ['model.layers.*.self_attn'], quant_method: 'mxfp4' },
  sliding_window: 128,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  vocab_size: 201088,
};

describe('parseHfConfig: MoE and MLA families', () => {
  it('reads Mixtral-8x7B into the catalog entry (46.7B parameters)', () => {
    const got = unwrap(parseHfConfig(MIXTRAL));
    expect(withoutNames(got.model)).toEqual(withoutNames(unwrap(getModel('mixtral-8x7b'))));
    // Per layer: attention 41,943,040 + 8 experts · 3 · 4096 · 14336 = 1,409,286,144 + router 32,768 + norms
    // 8,192 = 1,451,270,144 · 32 = 46,440,644,608; + embedding and lm_head 262,144,000 + final norm 4,096.
    expect(parameterCount(got.model).numTotal).toBe(46_702_792_704);
  });

  it('reads Qwen3-30B-A3B, not in the catalog: 30.5B total, 3.3B activated', () => {
    const got = unwrap(parseHfConfig(QWEN3_30B_A3B));
    expect(got.model.moe).toEqual({
      numExperts: 128,
      topK: 8,
      expertIntermediateSize: 768,
      numSharedExperts: 0,
      sharedExpertIntermediateSize: 0,
      numDenseLayers: 0,
    });
    const count = parameterCount(got.model);
    // Per layer: q 2048 · 4096 = 8,388,608, k and v 2048 · 512 = 1,048,576 each, o 8,388,608 → 18,874,368;
    // experts 128 · 3 · 2048 · 768 = 603,979,776; router 2048 · 128 = 262,144; norms 4,096 → 623,120,384 · 48 =
    // 29,909,778,432; embedding and lm_head 2 · 151936 · 2048 = 622,329,856; final norm 2,048: 30,532,110,336
    // (the card's 30.5B; its q/k norms, 12,288, are not counted).
    expect(count.numTotal).toBe(30_532_110_336);
    // Active: (18,874,368 + 8 experts 37,748,736 + 262,144 + 4,096) · 48 = 2,730,688,512, + lm_head 311,164,928
    // + 2,048 = 3,041,855,488; with the embedding row table (311,164,928) 3.35B: the card's "3.3B activated".
    expect(count.numActivePerToken).toBe(3_041_855_488);
    // 48 · 2 · 4 · 128 · 2 = 98,304 bytes per token.
    expect(kvBytesPerToken(got.model, bf16)).toBe(98_304);
  });

  it('reads Qwen1.5-MoE-A2.7B with its shared expert (14.3B total)', () => {
    const got = unwrap(parseHfConfig(QWEN15_MOE));
    expect(got.model.moe).toMatchObject({ numSharedExperts: 1, sharedExpertIntermediateSize: 5632 });
    // Per layer: attention 4 · 2048² = 16,777,216; experts 60 · 3 · 2048 · 1408 = 519,045,120; shared
    // 3 · 2048 · 5632 = 34,603,008; router 2048 · 60 = 122,880; norms 4,096 → 570,552,320 · 24 =
    // 13,693,255,680; embedding and lm_head 622,329,856; final norm 2,048: 14,315,587,584. The q/k/v biases
    // (147,456) and shared-expert gates (49,152) make 14,315,784,192: the card's 14.3B.
    expect(parameterCount(got.model).numTotal).toBe(14_315_587_584);
    expect(got.notes).toEqual([
      'q/k/v projection biases (147,456 parameters) are not counted',
      "the shared expert's sigmoid gate (hidden_size per MoE layer) is not counted",
    ]);
  });

  it('counts Qwen MoE dense layers from mlp_only_layers and decoder_sparse_step, and notes their position', () => {
    // Step 2: layers 1, 3, 5, … are MoE; with layer 3 MLP-only, 0, 2, 3, 4, … are dense: 24 − 11 = 13.
    const got = unwrap(parseHfConfig({ ...QWEN15_MOE, decoder_sparse_step: 2, mlp_only_layers: [3] }));
    expect(got.model.moe?.numDenseLayers).toBe(13);
    expect(got.notes).toContainEqual(
      expect.stringMatching(/^dense layers 0, 2, 3, 4, 6, .* are counted as 13 dense layers/),
    );
  });

  it('reads DeepSeek-V3 into the catalog entry: MLA, 3 dense layers, 671B, 70,272 KV bytes per token', () => {
    const got = unwrap(parseHfConfig(DEEPSEEK_V3, { id: 'deepseek-v3' }));
    expect(withoutNames(got.model)).toEqual(withoutNames(unwrap(getModel('deepseek-v3'))));
    // Attention per layer: q 7168 · 1536 + 1536 · 128 · 192 = 48,758,784; kv_a 7168 · 576 = 4,128,768; kv_b
    // 512 · 128 · 256 = 16,777,216; o 128 · 128 · 7168 = 117,440,512 → 187,105,280 · 61 = 11,413,422,080. Norms
    // (2 · 7168 + 1536 + 512) · 61 = 999,424. Dense FFN 3 · (3 · 7168 · 18432) = 1,189,085,184. MoE layers 58 ·
    // (256 · 44,040,192 + shared 44,040,192 + router 1,835,008) = 656,569,532,416. Embedding and lm_head
    // 1,853,358,080; final norm 7,168. Total 671,026,404,352: DeepSeek's 671B (MTP module excluded).
    expect(parameterCount(got.model).numTotal).toBe(671_026_404_352);
    // 61 layers · (512 + 64) · 2 bytes = 70,272 (DESIGN.md).
    expect(kvBytesPerToken(got.model, bf16)).toBe(70_272);
    expect(got.notes).toEqual([
      'the multi-token-prediction module (num_nextn_predict_layers 1) is not counted',
      'weights ship in FP8 (quantization_config): analyze with --precision fp8 to match the checkpoint',
    ]);
  });

  it('reads DeepSeek-V2-Lite, not in the catalog: no q_lora path, 15.7B parameters', () => {
    const got = unwrap(parseHfConfig(DEEPSEEK_V2_LITE));
    expect(got.model.mla).toEqual({
      kvLoraRank: 512,
      qLoraRank: 0,
      qkNopeHeadDim: 128,
      qkRopeHeadDim: 64,
      vHeadDim: 128,
    });
    expect(got.model.headDim).toBe(192);
    // Attention per layer: q 2048 · 16 · 192 = 6,291,456; kv_a 2048 · 576 = 1,179,648; kv_b 512 · 16 · 256 =
    // 2,097,152; o 16 · 128 · 2048 = 4,194,304 → 13,762,560; norms 2 · 2048 + 512 = 4,608 → 27 · 13,767,168 =
    // 371,713,536. Dense layer 3 · 2048 · 10944 = 67,239,936. 26 MoE layers · (64 · 8,650,752 + 2 shared ·
    // 8,650,752 + router 131,072) = 14,848,098,304. Embedding and lm_head 2 · 102400 · 2048 = 419,430,400;
    // final norm 2,048. Total 15,706,484,224: the card's 15.7B.
    expect(parameterCount(got.model).numTotal).toBe(15_706_484_224);
    // 27 · 576 · 2 = 31,104 bytes per token.
    expect(kvBytesPerToken(got.model, bf16)).toBe(31_104);
  });

  it('reads gpt-oss-20b: 20.91B with its biases, 3.61B active, and says what it cannot model', () => {
    const got = unwrap(parseHfConfig(GPT_OSS_20B));
    expect(got.model.moe).toMatchObject({ numExperts: 32, topK: 4, expertIntermediateSize: 2880 });
    const count = parameterCount(got.model);
    // Per layer: q 2880 · 4096 = 11,796,480, k and v 2880 · 512 = 1,474,560 each, o 11,796,480 → 26,542,080;
    // experts 32 · 3 · 2880² = 796,262,400; router 92,160; norms 5,760 → 822,902,400 · 24 = 19,749,657,600;
    // embedding and lm_head 2 · 201088 · 2880 = 1,158,266,880; final norm 2,880: 20,907,927,360.
    expect(count.numTotal).toBe(20_907_927_360);
    // Biases per layer: q/k/v (64 + 16) · 64 + o 2880 = 8,000; sinks 64; router 32; experts 32 · (2 · 2880 +
    // 2880) = 276,480 → 284,576 · 24 = 6,829,824; with them 20,914,757,184: the model card's 20.91B.
    expect(got.notes).toContain('attention, sink, router and expert biases (6,829,824 parameters) are not counted');
    // Active: (26,542,080 + 4 experts 99,532,800 + 92,160 + 5,760) · 24 + lm_head 579,133,440 + 2,880 =
    // 3,607,283,520: the card's 3.61B.
    expect(count.numActivePerToken).toBe(3_607_283_520);
    // Counted as full attention on all 24 layers: 24 · 2 · 8 · 64 · 2 = 49,152 bytes per token (an upper bound).
    expect(kvBytesPerToken(got.model, bf16)).toBe(49_152);
    expect(got.notes[0]).toBe(
      'sliding_window 128 on 12 of 24 layers (layer_types) is not modelled: KV bytes and attention FLOPs are counted over the whole context on every layer (an upper bound past 128 tokens)',
    );
    expect(got.notes.at(-1)).toMatch(/^experts are stored in MXFP4/);
  });

  it('names missing MoE and MLA fields', () => {
    const { n_routed_experts: _a, kv_lora_rank: _b, ...broken } = DEEPSEEK_V3;
    const result = parseHfConfig({ ...broken, num_experts_per_tok: 0 });
    expect(result.ok ? [] : result.error.issues?.map((i) => i.path)).toEqual([
      'n_routed_experts',
      'num_experts_per_tok',
      'kv_lora_rank',
    ]);
    const { num_experts_per_tok: _c, experts_per_token: _d, ...noTopK } = GPT_OSS_20B;
    const gpt = parseHfConfig(noTopK);
    expect(gpt.ok ? [] : gpt.error.issues).toEqual([
      {
        path: 'num_experts_per_tok',
        message:
          "must be an integer ≥ 1, got nothing (missing; also looked for experts_per_token) (required for model_type 'gpt_oss')",
      },
    ]);
  });
});
