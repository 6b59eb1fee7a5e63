// Catalog entry types of @oicf/core: precisions, models, hardware (devices, tiers, links), workflows.
// Units are in the names (bytes, seconds, FLOPs, tokens); counts start with `num`; formulas in docs/oicf.md.
import type { DeviceEconomics } from './economics.js';

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

/**
 * One memory tier: its identity in every spelling the project uses, and its figures. The entries
 * live in `hardware/tiers.ts`, the only place a tier is defined (docs/architecture.md).
 */
export interface TierSpec {
  /** The tier id everywhere in code, metrics labels and logs, e.g. 'optical-pool'. */
  readonly id: string;
  /** Its value in the wire enum `oicf.v1.Tier` (packages/proto common.proto), e.g. 'TIER_OPTICAL_POOL'. */
  readonly protoName: string;
  /** Its key in the kv-pool and cluster config files, e.g. 'opticalPool'. */
  readonly configKey: string;
  readonly displayName: string;
  readonly source: string;
  /** Read bandwidth as seen by one accelerator reading KV from this tier. */
  readonly bandwidthBytesPerSecond: number;
  /** Access latency of one transfer. */
  readonly latencySeconds: number;
  /** Capacity of one tier instance available to one accelerator (illustrative where noted). */
  readonly capacityBytes: number;
  readonly energyPicojoulesPerBit?: number;
  /** Who holds this tier's KV in the serving cluster, and how this machine plays it. */
  readonly serving: TierServing;
}

/**
 * `worker`: a decode worker's own KV memory (process memory playing HBM). `pool`: a kv-pool tier
 * kept by the store kind named: `memory` (host memory), `paced-memory` (host memory with every
 * transfer paced to the tier's bandwidth and latency) or `files` (one checksummed file per block).
 */
export type TierServing = { readonly holder: 'worker' } | { readonly holder: 'pool'; readonly store: PoolStoreKind };

export type PoolStoreKind = 'memory' | 'paced-memory' | 'files';

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
  /** Absent: no scale-up link, a domain of one device (no tensor parallelism across devices). */
  readonly scaleUp?: ScaleUpSpec;
  /** Price and power; absent: the catalog's figures for this id (catalog/device-economics.ts), if any. */
  readonly economics?: DeviceEconomics;
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
