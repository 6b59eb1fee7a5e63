// Analysis types of @oicf/core: conventions, point queries and their results.
// Units are in the names (bytes, seconds, FLOPs, tokens); counts start with `num`; formulas in docs/oicf.md.
import type { DeviceSpec, LinkSpec, ModelSpec, PrecisionConfig, TierSpec } from './catalog.js';

// ---------------------------------------------------------------------------------------------
// Conventions
// ---------------------------------------------------------------------------------------------

export type ConventionName = 'paper' | 'llm-viewer' | 'oicf';

/** How expert weight bytes per step are counted (per MoE layer, T = tokens in the step). */
export type MoeWeightMode = 'all-experts' | 'expected-distinct' | 'top-k';

/** The counting choices. Presets in conventions/presets.ts; docs/oicf.md explains each. */
export interface ConventionOptions {
  /** Prefill attention FLOPs: causal triangle (query i sees P+i keys) or full square T×(P+T). */
  readonly prefillAttention: 'causal' | 'full-square';
  /** Count softmax, norm, activation and residual-add FLOPs (per-element costs below; RoPE is
   * never counted). */
  readonly countElementwiseFlops: boolean;
  /** FLOPs per element of each norm input (RMSNorm ≈ 4: square, sum, scale, weight; LLM-Viewer 7). */
  readonly normFlopsPerElement: number;
  /** FLOPs per attention score element (max, subtract, exp, sum, divide = 5). */
  readonly softmaxFlopsPerElement: number;
  /** FLOPs per FFN activation element (SiLU·up ≈ 5; LLM-Viewer 2). */
  readonly activationFlopsPerElement: number;
  /** FLOPs per residual-add element (1). */
  readonly residualFlopsPerElement: number;
  /** Elements the FFN activation acts on: the intermediate width (physical) or the hidden width
   * (LLM-Viewer's counting, reproduced for its preset). */
  readonly activationElements: 'intermediate' | 'hidden';
  /** lm_head FLOPs per multiply-add: 2 like every other matmul, or 1 (LLM-Viewer). */
  readonly lmHeadFlopsPerMac: 1 | 2;
  /** Activation traffic to memory: none (weights + KV only), fused (each GEMM reads its input and
   * writes its output; attention fused, no score matrix) or unfused (every op reads and writes,
   * the score matrix is materialized). */
  readonly activationTraffic: 'none' | 'fused' | 'unfused';
  /** Prefill lm_head on the last token of each sequence or on every prompt token. */
  readonly lmHeadTokens: 'last' | 'all';
  readonly moeWeights: MoeWeightMode;
  /** MLA: absorbed = attention in latent space (MQA-like over 576 dims); expanded = up-project
   * the cached latent to per-head K/V for every context token; auto = expanded for prefill,
   * absorbed for decode (what DeepSeek's inference does). */
  readonly mlaAttention: 'absorbed' | 'expanded' | 'auto';
  /** Decode at context L: attention spans L+1 keys (cache + the new token) when true, L when false.
   * KV read is always L tokens; KV written is 1 token per sequence. */
  readonly decodeAttendsNewToken: boolean;
  /** Count the embedding-row gather (tokens × hidden weight bytes). */
  readonly countEmbeddingGather: boolean;
  /** Count KV bytes written by prefill/decode (the new tokens' K/V). */
  readonly countKvWrite: boolean;
}

export interface ResolvedConvention {
  readonly name: ConventionName | 'custom';
  readonly options: ConventionOptions;
}

// ---------------------------------------------------------------------------------------------
// Point analysis
// ---------------------------------------------------------------------------------------------

export type Phase = 'prefill' | 'decode';

export type OperatorId =
  | 'embedding'
  | 'qkv_proj'
  | 'mla_kv_up'
  | 'attention_score'
  | 'attention_value'
  | 'softmax'
  | 'out_proj'
  | 'norm'
  | 'ffn'
  | 'moe_router'
  | 'experts'
  | 'shared_experts'
  | 'activation'
  | 'residual'
  | 'lm_head';

export interface ByteBreakdown {
  readonly weightBytes: number;
  readonly kvReadBytes: number;
  readonly kvWriteBytes: number;
  readonly activationBytes: number;
  readonly totalBytes: number;
}

/** One operator summed over all layers (and the whole batch) of one step, whole model (unsharded). */
export interface OperatorRow {
  readonly operator: OperatorId;
  /** Layers this operator runs in (1 for embedding and lm_head). */
  readonly numLayers: number;
  readonly flops: number;
  readonly bytes: ByteBreakdown;
  /** flops / totalBytes; Infinity when no bytes are moved. */
  readonly operationalIntensityFlopsPerByte: number;
}

/** How many devices share the work, and how. */
export interface ShardingSpec {
  /** Devices in the scale-up domain (1 = unsharded). */
  readonly numDevices: number;
  /** tensor: attention heads, FFN columns, experts and lm_head split over numDevices (all-reduce
   * twice per layer). tensor+expert: routed experts split whole over devices (all-to-all), the
   * rest tensor-parallel. */
  readonly strategy: 'tensor' | 'tensor+expert';
  /** Defaults to the device's scale-up link. */
  readonly link?: LinkSpec;
}

/** Part of the KV cache held in a slower tier and read from there every step. */
export interface KvPlacement {
  readonly tier: TierSpec;
  /** Fraction in [0, 1] of each request's KV that lives in `tier` (the rest in device memory). */
  readonly fractionInTier: number;
}

export interface EfficiencyFactors {
  /** Fraction of peak FLOP/s reached, (0, 1]. Default 1. */
  readonly compute: number;
  /** Fraction of memory bandwidth reached, (0, 1]. Default 1. */
  readonly memory: number;
}

interface PointQueryBase {
  readonly model: ModelSpec;
  readonly device: DeviceSpec;
  readonly precision: PrecisionConfig;
  /** Preset name or explicit options (reported as 'custom'). Default 'oicf'. */
  readonly convention?: ConventionName | ConventionOptions;
  readonly sharding?: ShardingSpec;
  readonly kvPlacement?: KvPlacement;
  /** Per-request workspace resident while served (scratch, logits). Default 0. */
  readonly workspaceBytesPerRequest?: number;
  readonly efficiency?: Partial<EfficiencyFactors>;
  /** Measured step time; when given, mfu/mbu are computed from it instead of the prediction. */
  readonly achievedSeconds?: number;
}

/** Prefill `newTokens` per sequence over a cached prefix of `cachedTokens`, for `batch` sequences. */
export interface PrefillQuery extends PointQueryBase {
  readonly phase: 'prefill';
  readonly batch: number;
  readonly newTokens: number;
  readonly cachedTokens?: number;
}

/** One decode step: one new token for each sequence; `contextTokens` = tokens already cached,
 * either one length for all `batch` sequences or one per sequence (then batch = its length). */
export interface DecodeQuery extends PointQueryBase {
  readonly phase: 'decode';
  readonly batch?: number;
  readonly contextTokens: number | readonly number[];
}

export type PointQuery = PrefillQuery | DecodeQuery;

export type Regime = 'compute-bound' | 'bandwidth-bound' | 'capacity-bound' | 'capacity-and-bandwidth-bound';

/** Per request, in bytes, summed over the whole domain (all devices). */
export interface CapacityFootprint {
  /** weights / batch */
  readonly weightShareBytes: number;
  /** KV of this request's tokens (mean over the batch) held in device memory and in any tier. */
  readonly kvBytes: number;
  readonly workspaceBytes: number;
  readonly totalBytes: number;
}

export interface PredictedTime {
  /** flops per device / (peak · efficiency). */
  readonly computeSeconds: number;
  /** bytes per device / (bandwidth · efficiency), KV from a slower tier at that tier's bandwidth. */
  readonly memorySeconds: number;
  /** Collective traffic on the scale-up link (0 when unsharded); not overlapped. */
  readonly communicationSeconds: number;
  /** max(compute, memory) + communication. */
  readonly stepSeconds: number;
  readonly bound: 'compute' | 'memory';
}

export interface PointResult {
  readonly convention: ConventionName | 'custom';
  readonly conventionOptions: ConventionOptions;
  readonly modelId: string;
  readonly deviceId: string;
  readonly precision: PrecisionConfig;
  readonly phase: Phase;
  readonly batch: number;
  /** Tokens processed this step over the whole batch (prefill: batch·newTokens; decode: batch). */
  readonly numNewTokens: number;
  /** Per sequence: cached tokens before the step (prefill: cachedTokens; decode: its context). */
  readonly contextTokens: readonly number[];
  readonly numDevices: number;
  /** Whole model, whole batch, one step. */
  readonly flops: number;
  /** Whole model as if on one device (sum of the operator rows). */
  readonly bytes: ByteBreakdown;
  /** One device's share of `flops` (flops / numDevices). */
  readonly flopsPerDevice: number;
  /** Bytes one device moves: its share of weights and activations plus the KV it reads and writes —
   * all of its replica when KV is replicated (kv heads < devices, or MLA), so numDevices ·
   * bytesPerDevice can exceed bytes.totalBytes. */
  readonly bytesPerDevice: number;
  /** FLOPs per byte of one device: flopsPerDevice / bytesPerDevice (= flops / bytes.totalBytes on one
   * device, or whenever nothing is replicated). */
  readonly operationalIntensityFlopsPerByte: number;
  readonly capacityFootprint: CapacityFootprint;
  /** weights + KV (device-memory share) + workspace over the domain. */
  readonly residentBytes: number;
  /** Device memory of the whole domain (numDevices · memoryCapacityBytes). */
  readonly capacityBytes: number;
  readonly fits: boolean;
  /** Largest batch that fits at this point's mean resident context (see batchMax()). */
  readonly batchMax: number;
  /** Peak/bandwidth of one device at the compute precision. */
  readonly ridgeFlopsPerByte: number;
  readonly regime: Regime;
  readonly peakFlopsPerSecond: number;
  /** Effective (tier-weighted) memory bandwidth of one device. */
  readonly memoryBandwidthBytesPerSecond: number;
  /** min(peak, bandwidth · OI) per device. */
  readonly attainableFlopsPerSecond: number;
  /** The same at batchMax (0 when nothing fits). */
  readonly attainableFlopsPerSecondAtBatchMax: number;
  readonly predicted: PredictedTime;
  /** flops / (seconds · peak · numDevices), seconds = achievedSeconds or predicted step. */
  readonly mfu: number;
  /** bytes / (seconds · bandwidth · numDevices). */
  readonly mbu: number;
  /** Collective bytes sent per device on the scale-up link. */
  readonly communicationBytesPerDevice: number;
  readonly operators: readonly OperatorRow[];
}
