import { z } from 'zod';

/**
 * Configuration of one tiny decoder-only transformer that the builders turn into ONNX graphs.
 * Field names mirror @oicf/core's ModelSpec (hiddenSize, numKvHeads, mla.kvLoraRank, ...) so a
 * config and its analytic twin can be compared field by field (see model-spec-mirror.ts).
 *
 * Architecture (Llama-style, pre-norm, no biases): embedding → numLayers × [RMSNorm →
 * attention → residual add → RMSNorm → SwiGLU FFN or MoE → residual add] → RMSNorm → lm_head.
 * RoPE (rotate-half, ONNX RotaryEmbedding) on the full head dim, or on the rope part for MLA.
 */

/** Storage precision of weight matrices. KV and activations between matmuls stay fp32. */
export type WeightPrecision = 'fp32' | 'fp16' | 'int8';

export interface MlaConfig {
  /** Latent (compressed KV) width cached per token per layer. */
  readonly kvLoraRank: number;
  /** Non-rotary part of each head's query/key dim. */
  readonly qkNopeHeadDim: number;
  /** Rotary part; the key's rope part is shared by all heads and cached beside the latent. */
  readonly qkRopeHeadDim: number;
  readonly vHeadDim: number;
}

export interface MoeConfig {
  readonly numExperts: number;
  readonly topK: number;
  readonly expertIntermediateSize: number;
}

export interface TinyModelConfig {
  /** Catalog id of the analytic twin (`tiny-gqa`) or any label. */
  readonly id: string;
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly numHeads: number;
  /** numHeads = MHA, 1 = MQA, in between = GQA (must divide numHeads). Ignored for MLA. */
  readonly numKvHeads: number;
  /** Per-head dim of Q/K/V for MHA/GQA/MQA. Ignored for MLA (uses the mla dims). */
  readonly headDim: number;
  readonly vocabSize: number;
  /** SwiGLU intermediate size of the dense FFN (unused when `moe` is set). */
  readonly ffnIntermediateSize: number;
  readonly mla?: MlaConfig;
  /** Every layer's FFN becomes top-k of E SwiGLU experts (no shared expert). */
  readonly moe?: MoeConfig;
  readonly weights: WeightPrecision;
  /** Seed for every weight tensor (each tensor also mixes in its own name). */
  readonly seed: number;
  /** Highest position + 1 the RoPE tables cover. */
  readonly maxPositions: number;
  readonly ropeTheta: number;
  readonly rmsNormEpsilon: number;
}

const positiveInt = z.number().int().positive();

const schema = z
  .object({
    id: z.string().min(1),
    numLayers: positiveInt,
    hiddenSize: positiveInt,
    numHeads: positiveInt,
    numKvHeads: positiveInt,
    headDim: positiveInt.refine((d) => d % 2 === 0, 'must be even (RoPE rotates pairs)'),
    vocabSize: positiveInt,
    ffnIntermediateSize: positiveInt,
    mla: z
      .object({
        kvLoraRank: positiveInt,
        qkNopeHeadDim: positiveInt,
        qkRopeHeadDim: positiveInt.refine((d) => d % 2 === 0, 'must be even (RoPE rotates pairs)'),
        vHeadDim: positiveInt,
      })
      .strict()
      .optional(),
    moe: z
      .object({ numExperts: positiveInt, topK: positiveInt, expertIntermediateSize: positiveInt })
      .strict()
      .refine((m) => m.topK <= m.numExperts, { message: 'topK must be ≤ numExperts', path: ['topK'] })
      .optional(),
    weights: z.enum(['fp32', 'fp16', 'int8']),
    seed: z.number().int().nonnegative(),
    maxPositions: positiveInt,
    ropeTheta: z.number().positive(),
    rmsNormEpsilon: z.number().positive(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.mla === undefined && c.numHeads % c.numKvHeads !== 0) {
      ctx.addIssue({ code: 'custom', path: ['numKvHeads'], message: `must divide numHeads (${c.numHeads})` });
    }
  });

/** Thrown by `parseModelConfig`; `issues` lists every bad field by path. */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`invalid tiny model config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** Validates an untrusted config, listing every bad field at once. */
export function parseModelConfig(input: unknown): TinyModelConfig {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new ModelConfigError(r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })));
  }
  return r.data;
}

/** Query heads sharing one KV head (1 for MHA and for MLA, numHeads for MQA). */
export function numQueryGroups(c: TinyModelConfig): number {
  return c.mla ? 1 : c.numHeads / c.numKvHeads;
}

/** A stable key naming everything that changes the graphs (used by the session cache). */
export function configKey(c: TinyModelConfig): string {
  return stableJson(c);
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
}
