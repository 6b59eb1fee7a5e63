// Public types of @oicf/core. Other packages code against these; change them only additively.
// Units are in the names (bytes, seconds, FLOPs, tokens); counts start with `num`.
// Conventions for every formula are in docs/oicf.md.

// ---------------------------------------------------------------------------------------------
// Results and errors (expected outcomes are values; see errors.ts for the throwing edge helper)
// ---------------------------------------------------------------------------------------------

/** Closed list of error codes used by this package (a subset of the transport's ErrorCode). */
export type CoreErrorCode = 'NOT_FOUND' | 'INVALID_ARGUMENT';

/** One bad field of an untrusted object: `path` like `moe.topK`, `message` says what is allowed. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export interface CoreError {
  readonly code: CoreErrorCode;
  /** Human-readable, names what was wrong and the valid choices (ids, ranges). */
  readonly message: string;
  /** Every bad field, for parse errors (all collected at once). */
  readonly issues?: readonly FieldIssue[];
  /** For NOT_FOUND: every valid id of the catalog that was searched. */
  readonly validIds?: readonly string[];
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CoreError };

// ---------------------------------------------------------------------------------------------
// Precision
// ---------------------------------------------------------------------------------------------

export type PrecisionId = 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4' | 'fp4';

/** Storage precision of each kind of tensor. Matmuls run at `activations` precision (weight-only
 * quantization dequantizes to the activation precision), which selects the device peak. */
export interface PrecisionConfig {
  readonly weights: PrecisionId;
  readonly kv: PrecisionId;
  readonly activations: PrecisionId;
}

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/** Dense feed-forward block. Gated (SwiGLU/GeGLU) = 3 matrices (gate, up, down), else 2 (up, down). */
export interface DenseFfnSpec {
  readonly intermediateSize: number;
  readonly gated: boolean;
}

/** Mixture of experts. Expert FFNs use the model's `ffn.gated`. The first `numDenseLayers` layers
 * use the dense `ffn` (with its own `ffn.intermediateSize`); the rest are MoE layers. */
export interface MoeSpec {
  readonly numExperts: number;
  readonly topK: number;
  readonly expertIntermediateSize: number;
  readonly numSharedExperts: number;
  /** Intermediate size of each shared expert (ignored when numSharedExperts is 0). */
  readonly sharedExpertIntermediateSize: number;
  readonly numDenseLayers: number;
}

/** Multi-head latent attention (DeepSeek-V2/V3). KV cache per token per layer holds
 * kvLoraRank + qkRopeHeadDim elements, shared by all heads. */
export interface MlaSpec {
  readonly kvLoraRank: number;
  /** 0 = queries projected directly from the hidden state (no low-rank query path). */
  readonly qLoraRank: number;
  readonly qkNopeHeadDim: number;
  readonly qkRopeHeadDim: number;
  readonly vHeadDim: number;
}

/** A decoder-only transformer. Biases are not modelled (none of the catalog models has them in
 * the projections that matter). For MLA models `headDim` = qkNopeHeadDim + qkRopeHeadDim and
 * `numKvHeads` = numHeads (the KV size comes from `mla`). */
export interface ModelSpec {
  readonly id: string;
  readonly displayName: string;
  /** Where the numbers come from (config.json, paper, model card). */
  readonly source: string;
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  readonly vocabSize: number;
  /** lm_head shares the embedding matrix (counted once in parameters). */
  readonly tiedEmbeddings: boolean;
  readonly ffn: DenseFfnSpec;
  readonly moe?: MoeSpec;
  readonly mla?: MlaSpec;
  readonly maxContextTokens: number;
}

/** Parameter counts (elements, not bytes). See parameterCount() in models/parameters.ts. */
export interface ParameterCount {
  readonly numEmbedding: number;
  /** 0 when tied. */
  readonly numLmHead: number;
  readonly numAttention: number;
  readonly numDenseFfn: number;
  readonly numRoutedExperts: number;
  readonly numSharedExperts: number;
  readonly numRouter: number;
  readonly numNorm: number;
  readonly numTotal: number;
  /** Parameters touched by one token (top-k routed experts only; embedding row ignored). */
  readonly numActivePerToken: number;
}

// ---------------------------------------------------------------------------------------------
// Hardware: devices, memory tiers, links
// ---------------------------------------------------------------------------------------------

export type LinkId = 'nvlink4' | 'nvlink5' | 'infinity-fabric' | 'pcie5' | 'rdma-400g' | 'optical-io';
export type TierId = 'hbm' | 'dram' | 'cxl' | 'optical-pool' | 'nvme';

export interface LinkSpec {
  readonly id: string;
  readonly displayName: string;
  readonly source: string;
  /** Per device, per direction. */
  readonly bandwidthBytesPerSecond: number;
  /** One-way latency of a small transfer. */
  readonly latencySeconds: number;
  readonly energyPicojoulesPerBit?: number;
}

export interface TierSpec {
  readonly id: string;
  readonly displayName: string;
  readonly source: string;
  /** Read bandwidth as seen by one accelerator reading KV from this tier. */
  readonly bandwidthBytesPerSecond: number;
  /** Access latency of one transfer. */
  readonly latencySeconds: number;
  /** Capacity of one tier instance available to one accelerator (illustrative where noted). */
  readonly capacityBytes: number;
  readonly energyPicojoulesPerBit?: number;
}

/** Scale-up domain a device can join (NVLink domain, Infinity Fabric ring). */
export interface ScaleUpSpec {
  readonly link: LinkSpec;
  /** Largest number of devices in one scale-up domain. */
  readonly maxDomainDevices: number;
}

export interface DeviceSpec {
  readonly id: string;
  readonly displayName: string;
  readonly source: string;
  /** Dense (no sparsity) peak per compute precision; missing precisions fall back to the nearest
   * wider one listed (see peakFlopsPerSecond() in hardware/device-peak.ts). */
  readonly peakFlopsPerSecond: Readonly<Partial<Record<PrecisionId, number>>>;
  readonly memoryCapacityBytes: number;
  readonly memoryBandwidthBytesPerSecond: number;
  readonly scaleUp?: ScaleUpSpec;
}

/** What `oicf roofline` calibration measures on this machine (saved as JSON by @oicf/kernels). */
export interface CalibrationProfile {
  readonly peakFlopsPerSecond: Readonly<Partial<Record<PrecisionId, number>>>;
  readonly memoryBandwidthBytesPerSecond: number;
  readonly memoryCapacityBytes: number;
  /** Free text: when and how it was measured. */
  readonly source?: string;
}

// ---------------------------------------------------------------------------------------------
// Workflows (agent sessions)
// ---------------------------------------------------------------------------------------------

/** Inclusive integer/real range sampled per turn; log-uniform suits heavy-tailed tool output. */
export interface RangeSpec {
  readonly min: number;
  readonly max: number;
  readonly distribution: 'uniform' | 'log-uniform';
}

export interface WorkflowSpec {
  readonly id: string;
  readonly displayName: string;
  /** Citations for the defaults. */
  readonly source: string;
  /** Turns per session when simulateSession() is not given numTurns. */
  readonly numTurns: RangeSpec;
  /** First-turn prefix (system prompt, tool schemas, task statement). */
  readonly systemPromptTokens: number;
  /** User/agent text added per turn. */
  readonly userTokensPerTurn: RangeSpec;
  /** Tool observations (file contents, test logs, accessibility trees) added per turn. */
  readonly toolOutputTokensPerTurn: RangeSpec;
  readonly numScreenshotsPerTurn: RangeSpec;
  readonly tokensPerScreenshot: number;
  readonly outputTokensPerTurn: RangeSpec;
  /** Tool execution / think time before each turn after the first. */
  readonly gapSeconds: RangeSpec;
  /** Context cap; beyond it the oldest tokens are dropped (context stays at the cap). */
  readonly maxContextTokens: number;
}

/** One simulated turn: prefill `numNewInputTokens` over a cached prefix of `contextTokensBefore`,
 * then decode `numOutputTokens`. contextTokensAfter = before + newInput + output − dropped. */
export interface SessionTurn {
  readonly index: number;
  readonly gapSecondsBefore: number;
  readonly contextTokensBefore: number;
  readonly numUserTokens: number;
  readonly numToolOutputTokens: number;
  readonly numScreenshots: number;
  readonly numScreenshotTokens: number;
  /** user + tool output + screenshots (+ system prompt on turn 0). */
  readonly numNewInputTokens: number;
  readonly numOutputTokens: number;
  /** Tokens dropped from the front to respect maxContextTokens (prefix no longer cached). */
  readonly numDroppedTokens: number;
  readonly contextTokensAfter: number;
}

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
