import { grouped, type HfFields } from './hf-fields.js';

/**
 * The parts of a Hugging Face `config.json` that every decoder family here shares (transformers'
 * LlamaConfig fields), mapped onto the model spec's input (validated afterwards by modelSpecSchema), and
 * the dense families themselves: llama, mistral, qwen2, qwen3. Every FFN here is gated (SwiGLU: gate,
 * up and down projections), whatever `hidden_act` says. Defaults are transformers' own:
 * `tie_word_embeddings` false, `num_key_value_heads` = `num_attention_heads` (noted), `head_dim` =
 * `hidden_size ÷ num_attention_heads`.
 */

/** What a family reader produces: the model spec's fields (before validation) and its notes. */
export interface HfDraft {
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim?: number;
  readonly vocabSize: number;
  readonly tiedEmbeddings: boolean;
  readonly ffn: { readonly intermediateSize: number; readonly gated: true };
  readonly moe?: {
    readonly numExperts: number;
    readonly topK: number;
    readonly expertIntermediateSize: number;
    readonly numSharedExperts: number;
    readonly sharedExpertIntermediateSize: number;
    readonly numDenseLayers: number;
  };
  readonly mla?: {
    readonly kvLoraRank: number;
    readonly qLoraRank: number;
    readonly qkNopeHeadDim: number;
    readonly qkRopeHeadDim: number;
    readonly vHeadDim: number;
  };
  readonly maxContextTokens: number;
}

/** Layers, widths, heads, vocabulary, context and tying: the fields every family has. */
export function readBase(f: HfFields): Omit<HfDraft, 'ffn' | 'moe' | 'mla'> {
  const numHeads = f.count('num_attention_heads');
  if (!f.has('num_key_value_heads')) {
    f.note('num_key_value_heads is absent: taken as num_attention_heads (multi-head attention), as transformers does');
  }
  const numKvHeads = f.optionalCount('num_key_value_heads', numHeads);
  const headDim = f.has('head_dim') ? f.count('head_dim') : undefined;
  return {
    numLayers: f.count('num_hidden_layers'),
    hiddenSize: f.count('hidden_size'),
    numHeads,
    numKvHeads,
    ...(headDim !== undefined ? { headDim } : {}),
    vocabSize: f.count('vocab_size'),
    tiedEmbeddings: f.flag('tie_word_embeddings', false),
    maxContextTokens: f.count('max_position_embeddings'),
  };
}

/** llama, mistral, qwen2, qwen3: one dense gated FFN of `intermediate_size` per layer. */
export function readDense(f: HfFields, modelType: string): HfDraft {
  const base = readBase(f);
  noteBiases(f, modelType, base);
  noteSlidingWindow(f, modelType);
  if (modelType === 'qwen3') {
    f.note('per-head q/k RMSNorm weights (2 × head_dim per layer) are not counted (parameters, under 0.001 %)');
  }
  return { ...base, ffn: { intermediateSize: f.count('intermediate_size'), gated: true } };
}

/** Attention and MLP biases are not modelled: say how many parameters that leaves out. */
export function noteBiases(f: HfFields, modelType: string, base: ReturnType<typeof readBase>): void {
  const headDim = base.headDim ?? base.hiddenSize / base.numHeads;
  // q, k, v biases per layer: (heads + 2 · kv heads) · head_dim. Qwen2 always has them (no config flag).
  const qkv = base.numLayers * (base.numHeads + 2 * base.numKvHeads) * headDim;
  if (modelType === 'qwen2' || modelType === 'qwen2_moe') {
    f.note(`q/k/v projection biases (${grouped(qkv)} parameters) are not counted`);
  } else if (f.flag('attention_bias', false)) {
    // Llama-style attention_bias adds o_proj's bias too (hidden_size per layer).
    f.note(
      `attention biases (attention_bias: true, ${grouped(qkv + base.numLayers * base.hiddenSize)} parameters) are not counted`,
    );
  }
  if (f.flag('mlp_bias', false)) f.note('MLP biases (mlp_bias: true) are not counted');
}

/**
 * A sliding window keeps only the last `sliding_window` tokens' KV on the layers it applies to. The model
 * spec has one attention kind for every layer, so KV bytes and attention FLOPs are counted for the full
 * context on every layer: an upper bound once the context passes the window.
 */
export function noteSlidingWindow(f: HfFields, modelType: string): void {
  const window = f.json.sliding_window;
  if (typeof window !== 'number') return;
  // Qwen2/Qwen3 write a sliding_window but apply it only with use_sliding_window: true.
  if ((modelType.startsWith('qwen2') || modelType.startsWith('qwen3')) && f.json.use_sliding_window !== true) return;
  const types = Array.isArray(f.json.layer_types) ? (f.json.layer_types as unknown[]) : undefined;
  const numSliding = types?.filter((t) => t === 'sliding_attention').length;
  const which = numSliding === undefined ? 'every layer' : `${numSliding} of ${types?.length} layers (layer_types)`;
  f.note(
    `sliding_window ${grouped(window)} on ${which} is not modelled: KV bytes and attention FLOPs are counted over the whole context on every layer (an upper bound past ${grouped(window)} tokens)`,
  );
}
