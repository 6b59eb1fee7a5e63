import type { WeightPrecision } from '../model/config.js';
import { kvBytesPerToken } from '../model/kv-layout.js';
import { microConfig, tinyConfig, type VariantId } from '../model/presets.js';

/** Which measurements a roofline sweep makes (see planSweep). */
export interface SweepSpec {
  readonly size: 'tiny' | 'micro';
  readonly variants: readonly VariantId[];
  readonly precisions: readonly WeightPrecision[];
  /** New tokens per prefill point (over an empty cache). */
  readonly prefillTokens: readonly number[];
  /** Cached tokens per sequence at each decode point. */
  readonly decodeContexts: readonly number[];
  readonly decodeBatches: readonly number[];
  /** Decode points whose batch's KV would exceed this are skipped (default 1.5 GiB). */
  readonly maxKvBytes?: number;
}

export interface PlannedPoint {
  readonly variant: VariantId;
  readonly weights: WeightPrecision;
  readonly phase: 'prefill' | 'decode';
  readonly batch: number;
  /** Prefill: new tokens; decode: batch (one per sequence). */
  readonly newTokens: number;
  /** Per sequence, tokens cached before the step. */
  readonly contextTokens: readonly number[];
}

export const QUICK_SWEEP: SweepSpec = {
  size: 'tiny',
  variants: ['mha', 'gqa', 'mla', 'moe'],
  precisions: ['fp32', 'int8'],
  prefillTokens: [256],
  decodeContexts: [1024, 8192],
  decodeBatches: [1],
};

/**
 * `oicf roofline`'s default: every variant and precision at prefill 128–1,024 tokens and decode
 * 128–32,768 tokens of context at batch 1, 4 and 16 — the points the calibrated step-time model is
 * fitted to and checked against (128-token contexts run the short-context decode graph).
 */
export const FULL_SWEEP: SweepSpec = {
  size: 'tiny',
  variants: ['mha', 'gqa', 'mla', 'moe'],
  precisions: ['fp32', 'int8'],
  prefillTokens: [128, 256, 512, 1024],
  decodeContexts: [128, 1024, 4096, 16384, 32768],
  decodeBatches: [1, 4, 16],
};

/**
 * The model a sweep runs: 65,536 positions (the tiny catalog entries' maxContextTokens), so a
 * 32,768-token context can still decode its next token.
 */
export function sweepConfig(spec: Pick<SweepSpec, 'size'>, variant: VariantId, weights: WeightPrecision) {
  const longest = 65_536;
  return spec.size === 'tiny'
    ? tinyConfig(variant, { weights, maxPositions: longest })
    : microConfig(variant, { weights, maxPositions: longest });
}

/**
 * Every point of a sweep, grouped by model (variant × precision) so each model's sessions are
 * built once: its prefill lengths, then each decode batch × context. Points whose decode KV
 * (batch · (context + 1) · KV bytes per token) exceeds maxKvBytes are left out.
 */
export function planSweep(spec: SweepSpec): PlannedPoint[] {
  const maxKv = spec.maxKvBytes ?? 1.5 * 2 ** 30;
  const points: PlannedPoint[] = [];
  for (const variant of spec.variants) {
    for (const weights of spec.precisions) {
      for (const t of spec.prefillTokens)
        points.push({ variant, weights, phase: 'prefill', batch: 1, newTokens: t, contextTokens: [0] });
      const perToken = kvBytesPerToken(sweepConfig(spec, variant, weights));
      for (const batch of spec.decodeBatches) {
        for (const L of spec.decodeContexts) {
          if (batch * (L + 1) * perToken > maxKv) continue;
          points.push({
            variant,
            weights,
            phase: 'decode',
            batch,
            newTokens: batch,
            contextTokens: new Array<number>(batch).fill(L),
          });
        }
      }
    }
  }
  return points;
}
