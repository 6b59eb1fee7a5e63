// What the analytic screen and the twin report about one configuration (plain JSON: written to result files,
// passed between worker threads, merged across shards).

export interface Slo {
  readonly ttftSeconds: number;
  readonly tpotSeconds: number;
}

/** Share of steps in each regime (sums to 1 when there were steps). */
export interface RegimeMix {
  readonly compute: number;
  readonly bandwidth: number;
  readonly capacity: number;
}

/** Why a configuration cannot serve the workload (it is ranked out, not ranked). */
export interface RankedOut {
  readonly kind: 'capacity' | 'budget' | 'slo' | 'no-goodput';
  readonly text: string;
}

/** One point of a configuration on the OI–CF plane (per request, whole domain). */
export interface PlanePointValue {
  readonly phase: 'prefill' | 'decode';
  readonly deviceId: string;
  readonly tp: number;
  readonly intensityFlopsPerByte: number;
  readonly capacityFootprintBytes: number;
  /** Requests resident with it (its decode batch; 1 for prefill). */
  readonly numConcurrentRequests: number;
  /** One device's dense peak at the compute precision and memory bandwidth; the domain's memory. */
  readonly peakFlopsPerSecond: number;
  readonly bandwidthBytesPerSecond: number;
  readonly domainCapacityBytes: number;
}

export interface Objectives {
  /** Requests per second meeting both SLOs (DistServe's goodput). */
  readonly goodputRps: number;
  /** Requests meeting both SLOs per dollar: goodput × 3600 ÷ $/h. */
  readonly goodputPerUsd: number;
  /** Goodput per kilowatt of typical power: (req/s) ÷ kW. */
  readonly goodputPerKw: number;
  /** Output tokens of requests meeting the SLOs per joule of typical power. */
  readonly tokensPerJoule: number;
}

export const OBJECTIVE_KEYS = ['goodputPerUsd', 'goodputPerKw', 'goodputRps', 'tokensPerJoule'] as const;
export type ObjectiveKey = (typeof OBJECTIVE_KEYS)[number];

/** The screen's estimate of how the configuration serves the workload. */
export interface ScreenEstimate {
  /** Share of requests meeting both SLOs. */
  readonly attainment: number;
  /** null when 1 % or more of requests can never start (their prompt fits no prefill instance). */
  readonly ttftP99Seconds: number | null;
  /** TPOT of a decode step at the operating batch (prefill interference included when colocated). */
  readonly tpotSeconds: number;
  readonly prefillUtilization: number;
  readonly decodeUtilization: number;
  /** Operating decode batch per instance (first decode group). */
  readonly decodeBatch: number;
  /** Largest decode batch at the decode context with KV in device memory only, and with the tiers. */
  readonly batchMaxHbm: number;
  readonly batchMaxWithTiers: number;
  /** The batch limit the engine runs with and what set it. */
  readonly batchCap: number;
  readonly batchCapBy: 'capacity' | 'tpot' | 'engine';
  /** Running KV bytes each tier holds at the operating batches, over all decode instances (spill). */
  readonly runningTierBytes: Readonly<Record<string, number>>;
  /** Share of reusable prompt tokens served from a cache. */
  readonly prefixHitFraction: number;
  /** The attainment factors: the smallest names what bound the design. */
  readonly factors: Readonly<Record<'ttft' | 'tpot' | 'decodeQueue' | 'contextFit', number>>;
}

export interface ScreenResult {
  readonly index: number;
  readonly id: string;
  readonly usdPerHour: number;
  readonly typicalWatts: number;
  readonly tdpWatts: number;
  readonly numAccelerators: number;
  /** Set when the configuration is ranked out. */
  readonly out: RankedOut | null;
  readonly estimate: ScreenEstimate | null;
  readonly objectives: Objectives;
  readonly regimeMix: RegimeMix;
  /** Where KV lived (bytes shares by tier: `hbm`, tier option ids). */
  readonly kvTierShares: Readonly<Record<string, number>>;
  readonly plane: readonly PlanePointValue[];
  /** Which term bound it, in one line. */
  readonly why: string;
}

/** What prefix retention the screen grants a configuration between turns. */
export interface Retention {
  /** Tokens of prefix an affinity-routed colocated pool keeps in HBM beyond its running batches. */
  readonly hbmTokens: number;
  /** Tokens the pool tiers hold (capacity × decode accelerators − what running sequences spilled there). */
  readonly poolTokens: number;
}
