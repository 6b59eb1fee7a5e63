import type { ModelSpec } from '../types.js';

// Public models: values copied from each model's Hugging Face config.json (named in `source`).
// Tiny models: what @oicf/kernels builds as ONNX graphs and runs here. They share one shape so the
// builder can mirror them: 4 layers, d_model 512, 8 heads × head_dim 64, SwiGLU FFN with
// intermediate 1536 (≈ 3·d, the Llama-style 8/3·d rounded up to a multiple of 512),
// vocab 259 = 256 byte tokens + BOS/EOS/PAD, untied lm_head.

const TINY_SOURCE =
  'oicf tiny family (this repo): 4 layers, d_model 512, 8 heads, head_dim 64, SwiGLU 1536, byte vocab 259; mirrored by @oicf/kernels';

const tinyBase = {
  numLayers: 4,
  hiddenSize: 512,
  numHeads: 8,
  headDim: 64,
  vocabSize: 259,
  tiedEmbeddings: false,
  ffn: { intermediateSize: 1536, gated: true },
  maxContextTokens: 65_536,
} as const;

export const MODELS: readonly ModelSpec[] = [
  {
    id: 'llama-2-7b',
    displayName: 'Llama-2-7B',
    source:
      'meta-llama/Llama-2-7b-hf config.json (hidden 4096, 32 layers, 32 heads = 32 kv heads, intermediate 11008, vocab 32000, 4096 positions)',
    numLayers: 32,
    hiddenSize: 4096,
    numHeads: 32,
    numKvHeads: 32,
    headDim: 128,
    vocabSize: 32_000,
    tiedEmbeddings: false,
    ffn: { intermediateSize: 11_008, gated: true },
    maxContextTokens: 4096,
  },
  {
    id: 'llama-2-13b',
    displayName: 'Llama-2-13B (MHA)',
    source:
      'meta-llama/Llama-2-13b-hf config.json (hidden 5120, 40 layers, 40 heads = 40 kv heads, intermediate 13824, vocab 32000, 4096 positions)',
    numLayers: 40,
    hiddenSize: 5120,
    numHeads: 40,
    numKvHeads: 40,
    headDim: 128,
    vocabSize: 32_000,
    tiedEmbeddings: false,
    ffn: { intermediateSize: 13_824, gated: true },
    maxContextTokens: 4096,
  },
  {
    id: 'llama-3-8b',
    displayName: 'Llama-3-8B',
    source:
      'meta-llama/Meta-Llama-3-8B config.json (hidden 4096, 32 layers, 32 heads, 8 kv heads, intermediate 14336, vocab 128256, 8192 positions, untied)',
    numLayers: 32,
    hiddenSize: 4096,
    numHeads: 32,
    numKvHeads: 8,
    headDim: 128,
    vocabSize: 128_256,
    tiedEmbeddings: false,
    ffn: { intermediateSize: 14_336, gated: true },
    maxContextTokens: 8192,
  },
  {
    id: 'llama-3.1-70b',
    displayName: 'Llama-3.1-70B',
    source:
      'meta-llama/Llama-3.1-70B config.json (hidden 8192, 80 layers, 64 heads, 8 kv heads, intermediate 28672, vocab 128256, 131072 positions, untied); 70,553,706,496 parameters',
    numLayers: 80,
    hiddenSize: 8192,
    numHeads: 64,
    numKvHeads: 8,
    headDim: 128,
    vocabSize: 128_256,
    tiedEmbeddings: false,
    ffn: { intermediateSize: 28_672, gated: true },
    maxContextTokens: 131_072,
  },
  {
    id: 'mixtral-8x7b',
    displayName: 'Mixtral-8x7B',
    source:
      'mistralai/Mixtral-8x7B-v0.1 config.json (hidden 4096, 32 layers, 32 heads, 8 kv heads, 8 experts top-2 of intermediate 14336, vocab 32000, 32768 positions); 46.7e9 parameters',
    numLayers: 32,
    hiddenSize: 4096,
    numHeads: 32,
    numKvHeads: 8,
    headDim: 128,
    vocabSize: 32_000,
    tiedEmbeddings: false,
    ffn: { intermediateSize: 14_336, gated: true },
    moe: {
      numExperts: 8,
      topK: 2,
      expertIntermediateSize: 14_336,
      numSharedExperts: 0,
      sharedExpertIntermediateSize: 0,
      numDenseLayers: 0,
    },
    maxContextTokens: 32_768,
  },
  {
    id: 'deepseek-v3',
    displayName: 'DeepSeek-V3',
    source:
      'deepseek-ai/DeepSeek-V3 config.json (hidden 7168, 61 layers, 128 heads, MLA kv_lora_rank 512, q_lora_rank 1536, qk_nope 128, qk_rope 64, v 128; first_k_dense_replace 3 with intermediate 18432; 256 routed experts top-8, moe_intermediate 2048, 1 shared expert; vocab 129280; 163840 positions); 671e9 parameters without the MTP module (DeepSeek-V3 report, arXiv:2412.19437)',
    numLayers: 61,
    hiddenSize: 7168,
    numHeads: 128,
    numKvHeads: 128,
    headDim: 192,
    vocabSize: 129_280,
    tiedEmbeddings: false,
    ffn: { intermediateSize: 18_432, gated: true },
    moe: {
      numExperts: 256,
      topK: 8,
      expertIntermediateSize: 2048,
      numSharedExperts: 1,
      sharedExpertIntermediateSize: 2048,
      numDenseLayers: 3,
    },
    mla: { kvLoraRank: 512, qLoraRank: 1536, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 },
    maxContextTokens: 163_840,
  },
  { ...tinyBase, id: 'tiny-mha', displayName: 'tiny MHA', source: `${TINY_SOURCE}; MHA (8 kv heads)`, numKvHeads: 8 },
  { ...tinyBase, id: 'tiny-gqa', displayName: 'tiny GQA', source: `${TINY_SOURCE}; GQA (2 kv heads)`, numKvHeads: 2 },
  {
    ...tinyBase,
    id: 'tiny-mla',
    displayName: 'tiny MLA',
    source: `${TINY_SOURCE}; MLA latent KV: kv_lora_rank 128 + rope 32 per token, no q_lora, qk_nope 64, v 64 (headDim = 64 + 32)`,
    numKvHeads: 8,
    headDim: 96,
    mla: { kvLoraRank: 128, qLoraRank: 0, qkNopeHeadDim: 64, qkRopeHeadDim: 32, vHeadDim: 64 },
  },
  {
    ...tinyBase,
    id: 'tiny-moe',
    displayName: 'tiny MoE',
    source: `${TINY_SOURCE}; GQA (2 kv heads), MoE in every layer: 8 experts top-2, expert intermediate 1024, no shared expert`,
    numKvHeads: 2,
    moe: {
      numExperts: 8,
      topK: 2,
      expertIntermediateSize: 1024,
      numSharedExperts: 0,
      sharedExpertIntermediateSize: 0,
      numDenseLayers: 0,
    },
  },
];
