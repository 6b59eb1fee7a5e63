// Trajectory and sweep types of @oicf/core.
// Units are in the names (bytes, seconds, FLOPs, tokens); counts start with `num`; formulas in docs/oicf.md.

import type { ConventionName, ConventionOptions, KvPlacement, Phase, Regime, ShardingSpec } from './analysis.js';
import type { DeviceSpec, ModelSpec, PrecisionConfig, SessionTurn, WorkflowSpec } from './catalog.js';

// ---------------------------------------------------------------------------------------------
// Trajectories and sweeps
// ---------------------------------------------------------------------------------------------

/** One phase of one turn in a trajectory. Decode is evaluated at the turn's mean decode context
 * (contexts grow linearly over the turn), and its seconds are numOutputTokens · step time. */
export interface TrajectoryPoint {
  readonly turn: number;
  readonly phase: Phase;
  readonly batch: number;
  /** Devices in the scale-up domain serving the model. */
  readonly numDevices: number;
  /** Prefill: cached prefix; decode: mean context over the turn's decode steps. */
  readonly contextTokens: number;
  /** Prefill: new input tokens; decode: output tokens of the turn. */
  readonly numTokens: number;
  readonly flops: number;
  readonly totalBytes: number;
  readonly operationalIntensityFlopsPerByte: number;
  readonly capacityFootprintBytes: number;
  readonly regime: Regime;
  readonly batchMax: number;
  /** Prefill: one step; decode: one step at the mean context. */
  readonly stepSeconds: number;
  /** Prefill: stepSeconds (time to first token); decode: numTokens · stepSeconds. */
  readonly phaseSeconds: number;
  readonly mfu: number;
  readonly mbu: number;
}

export interface TrajectoryOptions {
  readonly seed?: number;
  readonly numTurns?: number;
  /** Decode batch: a number, or 'max' = batchMax at that context clamped to [1, maxDecodeBatch]. */
  readonly decodeBatch?: number | 'max';
  /** Cap for decodeBatch 'max' (default 256, vLLM's default max_num_seqs). */
  readonly maxDecodeBatch?: number;
  /** Reuse the cached prefix across turns (default true); false re-prefills the whole context. */
  readonly prefixCaching?: boolean;
  /** A fixed domain, or 'fit-weights': the smallest power of two N ≤ the device's
   * scale-up domain with weights ≤ half of N devices' memory (the other half left for KV);
   * devices without a scale-up link stay at 1. Default: one device. */
  readonly sharding?: ShardingSpec | 'fit-weights';
  readonly kvPlacement?: KvPlacement;
}

export interface Trajectory {
  readonly workflowId: string;
  readonly modelId: string;
  readonly deviceId: string;
  readonly precision: PrecisionConfig;
  readonly convention: ConventionName | 'custom';
  readonly conventionOptions: ConventionOptions;
  readonly turns: readonly SessionTurn[];
  /** Two points per turn (prefill, then decode), in turn order. */
  readonly points: readonly TrajectoryPoint[];
}

export interface SweepSpec {
  readonly workflows?: readonly (WorkflowSpec | string)[];
  readonly models?: readonly (ModelSpec | string)[];
  readonly devices?: readonly (DeviceSpec | string)[];
  /** Precision configs or preset ids ('bf16', 'fp8', 'w4a16', ...). */
  readonly precisions?: readonly (PrecisionConfig | string)[];
  readonly numTurns?: number;
  readonly seed?: number;
  readonly convention?: ConventionName | ConventionOptions;
  readonly decodeBatch?: number | 'max';
  readonly maxDecodeBatch?: number;
  readonly sharding?: ShardingSpec | 'fit-weights';
}

/** One flat row of a sweep: a trajectory point with its coordinates. */
export interface SweepRow extends TrajectoryPoint {
  readonly workflowId: string;
  readonly modelId: string;
  readonly deviceId: string;
  /** Precision preset id, or `w<weights>-kv<kv>-a<activations>` for custom configs. */
  readonly precisionId: string;
  readonly convention: ConventionName | 'custom';
}
