import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { getModel } from '../models/lookup.js';
import { kvBytesPerToken, parameterCount } from '../models/parameters.js';
import type { FieldIssue, Result } from '../types.js';
import { isHfConfig, parseHfConfig, parseModelFile } from './hf-config.js';

// Dense families. Each config is written here from the public config.json of the named Hugging Face repo
// (the fields that matter, values as published; a few unrelated keys are kept to show they are ignored).
// Expected figures are derived by hand in the comments and compared with the model cards.

const bf16 = { weights: 'bf16', kv: 'bf16', activations: 'bf16' } as const;

function issues<T>(result: Result<T>): FieldIssue[] {
  if (result.ok) throw new Error('expected a failure');
  expect(result.error.code).toBe('INVALID_ARGUMENT');
  return [...(result.error.issues ?? [])];
}

// meta-llama/Llama-3.1-70B config.json.
const LLAMA_31_70B = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  hidden_act: 'silu',
  hidden_size: 8192,
  intermediate_size: 28672,
  max_position_embeddings: 131072,
  mlp_bias: false,
  model_type: 'llama',
  num_attention_heads: 64,
  num_hidden_layers: 80,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-5,
  rope_scaling: { factor: 8.0, rope_type: 'llama3' },
  rope_theta: 500000.0,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  vocab_size: 128256,
};

// mistralai/Mistral-7B-v0.1 config.json (not in the catalog).
const MISTRAL_7B = {
  architectures: ['MistralForCausalLM'],
  hidden_act: 'silu',
  hidden_size: 4096,
  intermediate_size: 14336,
  max_position_embeddings: 32768,
  model_type: 'mistral',
  num_attention_heads: 32,
  num_hidden_layers: 32,
  num_key_value_heads: 8,
  rope_theta: 10000.0,
  sliding_window: 4096,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  vocab_size: 32000,
};

// Qwen/Qwen2.5-7B config.json.
const QWEN25_7B = {
  architectures: ['Qwen2ForCausalLM'],
  hidden_size: 3584,
  intermediate_size: 18944,
  max_position_embeddings: 131072,
  model_type: 'qwen2',
  num_attention_heads: 28,
  num_hidden_layers: 28,
  num_key_value_heads: 4,
  sliding_window: 131072,
  use_sliding_window: false,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
  vocab_size: 152064,
};

// Qwen/Qwen3-0.6B config.json: tied embeddings and head_dim 128 ≠ hidden_size / heads (1024 / 16 = 64).
const QWEN3_06B = {
  architectures: ['Qwen3ForCausalLM'],
  head_dim: 128,
  hidden_size: 1024,
  intermediate_size: 3072,
  max_position_embeddings: 40960,
  model_type: 'qwen3',
  num_attention_heads: 16,
  num_hidden_layers: 28,
  num_key_value_heads: 8,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  vocab_size: 151936,
};

describe('parseHfConfig: dense families', () => {
  it('reads Llama-3.1-70B into the catalog entry, with its public figures', () => {
    const got = unwrap(parseHfConfig(LLAMA_31_70B, { id: 'llama-3.1-70b' }));
    const { id: _a, displayName: _b, source: _c, ...catalog } = unwrap(getModel('llama-3.1-70b'));
    const { id: _d, displayName: _e, source, ...read } = got.model;
    expect(read).toEqual(catalog);
    expect(source).toContain("HF config.json (model_type 'llama')");
    // 70,553,706,496 parameters (the catalog's source note); KV 80 layers · 2 · 8 heads · 128 · 2 B = 327,680.
    expect(parameterCount(got.model).numTotal).toBe(70_553_706_496);
    expect(kvBytesPerToken(got.model, bf16)).toBe(327_680);
    expect(got.precision).toBe('bf16');
    expect(got.notes).toEqual([]);
  });

  it('reads Mistral-7B, a model the catalog does not have, and notes its sliding window', () => {
    const got = unwrap(parseHfConfig(MISTRAL_7B));
    expect(got.model.id).toBe('mistral');
    // Per layer: q 4096² + k, v 4096·1024 each + o 4096² = 41,943,040; SwiGLU 3 · 4096 · 14336 = 176,160,768;
    // two norms 8,192 → 218,112,000 · 32 = 6,979,584,000; embedding and untied lm_head 2 · 32000 · 4096 =
    // 262,144,000; final norm 4,096: 7,241,732,096 (HF lists 7.24B).
    expect(parameterCount(got.model).numTotal).toBe(7_241_732_096);
    // 32 layers · 2 · 8 kv heads · 128 · 2 bytes = 131,072 bytes per token.
    expect(kvBytesPerToken(got.model, bf16)).toBe(131_072);
    expect(got.notes).toEqual([
      'sliding_window 4,096 on every layer is not modelled: KV bytes and attention FLOPs are counted over the whole context on every layer (an upper bound past 4,096 tokens)',
    ]);
  });

  it('reads Qwen2.5-7B and says which biases it leaves out', () => {
    const got = unwrap(parseHfConfig(QWEN25_7B, { id: 'qwen2.5-7b' }));
    // Per layer: q 3584² = 12,845,056, k and v 3584 · 512 = 1,835,008 each, o 12,845,056 → 29,360,128;
    // SwiGLU 3 · 3584 · 18944 = 203,685,888; norms 7,168 → 233,053,184 · 28 = 6,525,489,152; embedding and
    // lm_head 2 · 152064 · 3584 = 1,089,994,752; final norm 3,584: 7,615,487,488. With the q/k/v biases,
    // 28 · (28 + 2 · 4) · 128 = 129,024, it is 7,615,616,512: the model card's 7.61B.
    expect(parameterCount(got.model).numTotal).toBe(7_615_487_488);
    expect(got.notes).toEqual(['q/k/v projection biases (129,024 parameters) are not counted']);
    // 28 · 2 · 4 · 128 · 2 = 57,344 bytes per token; its sliding window is off (use_sliding_window false).
    expect(kvBytesPerToken(got.model, bf16)).toBe(57_344);
  });

  it('reads Qwen3-0.6B: tied embeddings counted once, head_dim taken as written', () => {
    const got = unwrap(parseHfConfig(QWEN3_06B));
    expect([got.model.tiedEmbeddings, got.model.headDim]).toEqual([true, 128]);
    // Per layer: q 1024 · 2048 = 2,097,152, k and v 1024 · 1024 each, o 2,097,152 → 6,291,456; SwiGLU
    // 3 · 1024 · 3072 = 9,437,184; norms 2,048 → 15,730,688 · 28 = 440,459,264; one tied embedding
    // 151936 · 1024 = 155,582,464; final norm 1,024: 596,042,752. Non-embedding 440,460,288 (+ the
    // uncounted q/k norms 7,168) is the model card's "Non-Embedding: 0.44B".
    const count = parameterCount(got.model);
    expect(count.numTotal).toBe(596_042_752);
    expect(count.numTotal - count.numEmbedding).toBe(440_460_288);
    // 28 · 2 · 8 · 128 · 2 = 114,688.
    expect(kvBytesPerToken(got.model, bf16)).toBe(114_688);
  });

  it('finds the family by architectures when model_type is absent, and the id from _name_or_path', () => {
    const { model_type: _, ...noType } = MISTRAL_7B;
    const got = unwrap(parseHfConfig({ ...noType, _name_or_path: 'mistralai/Mistral-7B-v0.1' }));
    expect([got.modelType, got.model.id]).toEqual(['mistral', 'mistral-7b-v0.1']);
    expect(got.model.source).toContain("architectures 'MistralForCausalLM'");
  });

  it('takes absent num_key_value_heads as multi-head attention, and says so', () => {
    const { num_key_value_heads: _, ...mha } = LLAMA_31_70B;
    const got = unwrap(parseHfConfig(mha));
    expect(got.model.numKvHeads).toBe(64);
    expect(got.notes[0]).toMatch(/^num_key_value_heads is absent: taken as num_attention_heads/);
  });
});

describe('parseHfConfig: bad input names the HF field', () => {
  it('lists every missing or bad field at once, by its HF name', () => {
    const { hidden_size: _, ...noHidden } = QWEN3_06B;
    expect(issues(parseHfConfig({ ...noHidden, num_hidden_layers: 0, tie_word_embeddings: 'yes' }))).toEqual([
      { path: 'num_hidden_layers', message: 'must be an integer ≥ 1, got 0' },
      {
        path: 'hidden_size',
        message: "must be an integer ≥ 1, got nothing (missing) (required for model_type 'qwen3')",
      },
      { path: 'tie_word_embeddings', message: "must be true or false, got 'yes'" },
    ]);
  });

  it('reports the spec relations under the HF name', () => {
    // 32 query heads cannot share 5 KV heads evenly.
    const found = issues(parseHfConfig({ ...MISTRAL_7B, num_key_value_heads: 5 }));
    expect(found).toEqual([{ path: 'num_key_value_heads (numKvHeads)', message: 'must divide numHeads (32), got 5' }]);
  });

  it('refuses an unknown model_type and lists the supported ones', () => {
    const result = parseHfConfig({ ...MISTRAL_7B, model_type: 'phi3' });
    expect(issues(result)).toEqual([
      {
        path: 'model_type',
        message:
          "'phi3' is not supported; supported: llama, mistral, qwen2, qwen3, mixtral, qwen2_moe, qwen3_moe, deepseek_v2, deepseek_v3, gpt_oss",
      },
    ]);
    if (!result.ok) expect(result.error.message).toMatch(/^invalid HF config\.json \(1 problem\):\n {2}model_type: /);
  });

  it('points a multimodal wrapper at its text_config', () => {
    const wrapper = { model_type: 'qwen2_5_vl', text_config: { ...QWEN25_7B } };
    expect(issues(parseHfConfig(wrapper))[0]?.message).toContain(
      "(its text_config is model_type 'qwen2': save text_config as its own config.json)",
    );
  });

  it('refuses unknown architectures without a model_type', () => {
    expect(issues(parseHfConfig({ architectures: ['GPT2LMHeadModel'], n_layer: 12 }))[0]).toMatchObject({
      path: 'architectures',
      message: expect.stringContaining('none of ["GPT2LMHeadModel"] is supported'),
    });
  });
});

describe('parseModelFile', () => {
  it('tells a HF config.json from the project’s own model JSON', () => {
    expect(isHfConfig(MISTRAL_7B)).toBe(true);
    const own = JSON.parse(JSON.stringify(unwrap(getModel('tiny-gqa'))));
    expect(isHfConfig(own)).toBe(false);
    expect(unwrap(parseModelFile(own))).toEqual({ model: own, modelType: 'oicf', notes: [] });
    expect(unwrap(parseModelFile(MISTRAL_7B)).modelType).toBe('mistral');
    // The own format still reports its own field names.
    expect(issues(parseModelFile({ ...own, numLayers: 0 }))).toEqual([
      { path: 'numLayers', message: 'must be an integer ≥ 1, got 0' },
    ]);
  });
});
