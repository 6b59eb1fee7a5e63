import { fail, ok } from '../errors.js';
import type { FieldIssue, ModelSpec, PrecisionId, Result } from '../types.js';
import { readDeepseek } from './hf-deepseek.js';
import { type HfDraft, readDense } from './hf-dense.js';
import { grouped, HfFields } from './hf-fields.js';
import { readGptOss, readMixtral, readQwenMoe } from './hf-moe.js';
import { modelSpecSchema, parseModelSpec } from './model-schema.js';
import { record } from './zod-fields.js';
import { fieldIssues } from './zod-issues.js';

/**
 * A Hugging Face `config.json` as a model spec. The family is found by `model_type`, else by the first of
 * `architectures`; each family maps its HF fields (hf-dense.ts, hf-moe.ts, hf-deepseek.ts) and the result
 * goes through the same schema as the project's own model JSON. Problems name the HF field
 * (`hidden_size: … (required for model_type 'llama')`); what the spec cannot express (biases, sliding
 * windows, quantization) comes back as notes.
 */

export interface HfModel {
  readonly model: ModelSpec;
  /** The transformers model_type the config was read as. */
  readonly modelType: string;
  /** The checkpoint's element type (`torch_dtype` or `dtype`) when it is one the project knows. */
  readonly precision?: PrecisionId;
  /** What the spec leaves out or assumed, one sentence each. */
  readonly notes: readonly string[];
}

type Reader = (f: HfFields, modelType: string) => HfDraft;

/** model_type → (reader, the transformers class that writes it). */
const FAMILIES: Readonly<Record<string, { readonly read: Reader; readonly architecture: string }>> = {
  llama: { read: readDense, architecture: 'LlamaForCausalLM' },
  mistral: { read: readDense, architecture: 'MistralForCausalLM' },
  qwen2: { read: readDense, architecture: 'Qwen2ForCausalLM' },
  qwen3: { read: readDense, architecture: 'Qwen3ForCausalLM' },
  mixtral: { read: readMixtral, architecture: 'MixtralForCausalLM' },
  qwen2_moe: { read: readQwenMoe, architecture: 'Qwen2MoeForCausalLM' },
  qwen3_moe: { read: readQwenMoe, architecture: 'Qwen3MoeForCausalLM' },
  deepseek_v2: { read: (f) => readDeepseek(f), architecture: 'DeepseekV2ForCausalLM' },
  deepseek_v3: { read: (f) => readDeepseek(f), architecture: 'DeepseekV3ForCausalLM' },
  gpt_oss: { read: readGptOss, architecture: 'GptOssForCausalLM' },
};

export const HF_MODEL_TYPES: readonly string[] = Object.keys(FAMILIES);

const DTYPES: Readonly<Record<string, PrecisionId>> = { bfloat16: 'bf16', float16: 'fp16', float32: 'fp32' };

/** Model spec field → the HF field it came from, for messages from the spec's own checks. */
const HF_NAME: Readonly<Record<string, string>> = {
  numLayers: 'num_hidden_layers',
  hiddenSize: 'hidden_size',
  numHeads: 'num_attention_heads',
  numKvHeads: 'num_key_value_heads',
  headDim: 'head_dim',
  vocabSize: 'vocab_size',
  maxContextTokens: 'max_position_embeddings',
  'ffn.intermediateSize': 'intermediate_size',
  'moe.topK': 'num_experts_per_tok',
  'moe.numDenseLayers': 'first_k_dense_replace',
};

/** True when `json` looks like a transformers config (it has `model_type` or `architectures`). */
export function isHfConfig(json: unknown): boolean {
  const o = record(json);
  return o !== undefined && (typeof o.model_type === 'string' || Array.isArray(o.architectures));
}

export interface HfConfigOptions {
  /** The spec's id (default: the last segment of `_name_or_path`, lower-cased, else the model_type). */
  readonly id?: string;
  /** Where the file came from, for the spec's `source` (default 'HF config.json'). */
  readonly source?: string;
}

export function parseHfConfig(json: unknown, options: HfConfigOptions = {}): Result<HfModel> {
  const o = record(json);
  if (o === undefined) return invalid([{ path: '(root)', message: 'must be a JSON object (a config.json)' }]);
  const detected = detectFamily(o);
  if (!detected.ok) return detected;
  const { modelType, how, read } = detected.value;
  const fields = new HfFields(o, how);
  const draft = read(fields, modelType);
  if (fields.issues.length > 0) return invalid(fields.issues, how);
  const id = options.id ?? idFrom(o, modelType);
  const parsed = modelSpecSchema.safeParse({
    ...draft,
    id,
    displayName: id,
    source: `${options.source ?? 'HF config.json'} (${how}): ${summary(draft)}`,
  });
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error.issues).map((i) => ({
      path: HF_NAME[i.path] ? `${HF_NAME[i.path]} (${i.path})` : i.path,
      message: i.message,
    }));
    return invalid(issues, how);
  }
  const dtype = fields.text('torch_dtype') ?? fields.text('dtype');
  const precision = dtype === undefined ? undefined : DTYPES[dtype];
  if (dtype !== undefined && precision === undefined) fields.note(`torch_dtype ${dtype} is not a precision oicf knows`);
  return ok({ model: parsed.data, modelType, ...(precision ? { precision } : {}), notes: fields.notes });
}

/** A model JSON file of either kind: a HF config.json (detected) or the project's own model spec. */
export function parseModelFile(json: unknown, options: HfConfigOptions = {}): Result<HfModel> {
  if (isHfConfig(json)) return parseHfConfig(json, options);
  const own = parseModelSpec(json);
  return own.ok ? ok({ model: own.value, modelType: 'oicf', notes: [] }) : own;
}

interface Detected {
  readonly modelType: string;
  /** How it was found, for messages: `model_type 'llama'`. */
  readonly how: string;
  readonly read: Reader;
}

function detectFamily(o: Readonly<Record<string, unknown>>): Result<Detected> {
  const modelType = typeof o.model_type === 'string' ? o.model_type : undefined;
  if (modelType !== undefined) {
    const family = FAMILIES[modelType];
    if (family) return ok({ modelType, how: `model_type '${modelType}'`, read: family.read });
    const inner = record(o.text_config)?.model_type;
    const hint =
      typeof inner === 'string' && FAMILIES[inner]
        ? ` (its text_config is model_type '${inner}': save text_config as its own config.json)`
        : '';
    return invalid([
      {
        path: 'model_type',
        message: `'${modelType}' is not supported${hint}; supported: ${HF_MODEL_TYPES.join(', ')}`,
      },
    ]);
  }
  const archs = Array.isArray(o.architectures) ? o.architectures.filter((a) => typeof a === 'string') : [];
  for (const arch of archs) {
    const found = Object.entries(FAMILIES).find(([, f]) => f.architecture === arch);
    if (found) return ok({ modelType: found[0], how: `architectures '${arch}'`, read: found[1].read });
  }
  const valid = Object.values(FAMILIES).map((f) => f.architecture);
  return invalid([
    {
      path: 'architectures',
      message: `no model_type, and none of ${JSON.stringify(archs)} is supported; supported: ${valid.join(', ')}`,
    },
  ]);
}

function idFrom(o: Readonly<Record<string, unknown>>, modelType: string): string {
  const name = typeof o._name_or_path === 'string' ? o._name_or_path.split('/').filter(Boolean).at(-1) : undefined;
  return (name ?? modelType).toLowerCase();
}

function summary(d: HfDraft): string {
  const parts = [
    `${d.numLayers} layers`,
    `hidden ${d.hiddenSize}`,
    `${d.numHeads} heads`,
    d.mla
      ? `MLA kv_lora_rank ${d.mla.kvLoraRank} + rope ${d.mla.qkRopeHeadDim}`
      : `${d.numKvHeads} kv heads${d.headDim ? ` × ${d.headDim}` : ''}`,
    d.moe
      ? `${d.moe.numExperts} experts top-${d.moe.topK} of ${d.moe.expertIntermediateSize}${d.moe.numSharedExperts > 0 ? `, ${d.moe.numSharedExperts} shared` : ''}${d.moe.numDenseLayers > 0 ? `, ${d.moe.numDenseLayers} dense layers of ${d.ffn.intermediateSize}` : ''}`
      : `intermediate ${d.ffn.intermediateSize}`,
    `vocab ${grouped(d.vocabSize)}`,
    `${grouped(d.maxContextTokens)} positions`,
    d.tiedEmbeddings ? 'tied' : 'untied',
  ];
  return parts.join(', ');
}

function invalid<T>(issues: readonly FieldIssue[], how?: string): Result<T> {
  const lines = issues.map((i) => `${i.path}: ${i.message}`);
  const what = how ? `HF config.json (${how})` : 'HF config.json';
  return fail({
    code: 'INVALID_ARGUMENT',
    message: `invalid ${what} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`,
    issues,
  });
}
