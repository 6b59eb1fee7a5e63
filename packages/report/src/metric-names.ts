/**
 * Every Prometheus series a replay report reads, in one place. Names follow docs/metrics.md
 * (`oicf_<component>_<name>_<unit>`, counters end in `_total`); where a vLLM-compatible name exists
 * (the anchor metrics in `vllm` mode) it is listed as an alternative.
 *
 * The services' metric names are not all final, so each quantity lists candidates and the report
 * shows "n/a" when none of them is served. When a service renames a metric, edit only this file.
 *
 * - `names`: candidate series names. `mode: 'first'`: the first name served by any target wins (use
 *   for alternative spellings of one quantity); `mode: 'all'`: every listed name contributes (use
 *   when each component reports its own share, e.g. prefill and decode OI).
 * - `rowLabel`: the label whose value names a row of the report table (`tier`, `link`, `reason`,
 *   `phase`); `@target` names rows by scrape target (router, prefill-0, …). A series without the
 *   label falls back to its `component` label, then to the component in its name, then to the target.
 */
export interface MetricQuery {
  readonly title: string;
  readonly kind: 'counter' | 'gauge';
  readonly names: readonly string[];
  readonly mode: 'first' | 'all';
  readonly rowLabel: string;
}

export const TARGET_ROW = '@target';

export const REPLAY_METRICS = {
  /**
   * Of the blocks requests' prefix queries asked the pool for (the router's Lookup, once per routed
   * prompt), the leading ones it held, by tier id (`@oicf/core` POOL_TIER_IDS).
   */
  poolHitBlocks: {
    title: 'pool prefix hits (blocks) by tier',
    kind: 'counter',
    names: ['oicf_kvpool_prefix_hit_blocks_total'],
    mode: 'first',
    rowLabel: 'tier',
  },
  /** Every block those queries asked for (hits + misses; a query that finds nothing is all misses). */
  poolQueriedBlocks: {
    title: 'pool prefix queries (blocks)',
    kind: 'counter',
    names: ['oicf_kvpool_prefix_queried_blocks_total'],
    mode: 'first',
    rowLabel: 'component',
  },
  /** Prompt tokens whose KV a worker reused instead of computing, by source (local memory, pool). */
  workerReusedTokens: {
    title: 'worker prefix reuse (tokens) by source',
    kind: 'counter',
    names: ['oicf_prefill_prefix_reused_tokens_total', 'oicf_decode_prefix_reused_tokens_total'],
    mode: 'all',
    rowLabel: 'source',
  },
  /** Prompt tokens whose KV a worker computed (the misses of the row above). */
  workerComputedTokens: {
    title: 'worker computed prompt tokens',
    kind: 'counter',
    names: ['oicf_prefill_computed_tokens_total', 'oicf_decode_computed_tokens_total'],
    mode: 'all',
    rowLabel: 'component',
  },
  /** Tokens computed again (after a preemption, a handoff gap): outside the reuse figure, by reason. */
  workerRecomputedTokens: {
    title: 'worker recomputed tokens by reason',
    kind: 'counter',
    names: ['oicf_prefill_recomputed_tokens_total', 'oicf_decode_recomputed_tokens_total'],
    mode: 'all',
    rowLabel: 'reason',
  },
  /** The emulated target of each worker that paces itself (an info gauge: value 1, the target a label). */
  emulationTarget: {
    title: 'emulated target',
    kind: 'gauge',
    names: ['oicf_prefill_emulation_info', 'oicf_decode_emulation_info'],
    mode: 'all',
    rowLabel: 'target',
  },
  emulationPacedSteps: {
    title: 'emulation: paced steps by phase',
    kind: 'counter',
    names: ['oicf_prefill_emulation_paced_steps_total', 'oicf_decode_emulation_paced_steps_total'],
    mode: 'all',
    rowLabel: 'phase',
  },
  /** Paced steps whose real time already exceeded the target's. */
  emulationUnderrunSteps: {
    title: 'emulation: underrun steps by phase',
    kind: 'counter',
    names: ['oicf_prefill_emulation_underrun_steps_total', 'oicf_decode_emulation_underrun_steps_total'],
    mode: 'all',
    rowLabel: 'phase',
  },
  emulationStepSleepSeconds: {
    title: 'emulation: pacing sleep by phase',
    kind: 'counter',
    names: ['oicf_prefill_emulation_step_sleep_seconds_total', 'oicf_decode_emulation_step_sleep_seconds_total'],
    mode: 'all',
    rowLabel: 'phase',
  },
  /** Σ step seconds as the cluster saw them (real work + pacing sleep), by phase: the step histograms' sums. */
  stepSecondsByPhase: {
    title: 'step seconds by phase',
    kind: 'counter',
    names: ['oicf_prefill_step_seconds_sum', 'oicf_decode_step_seconds_sum'],
    mode: 'all',
    rowLabel: 'phase',
  },
  /** The router's count of prompt tokens by where their KV came from (worker, pool, none). */
  routerCachedTokens: {
    title: 'router prompt tokens by cache source',
    kind: 'counter',
    names: ['oicf_router_prefix_cached_tokens_total'],
    mode: 'first',
    rowLabel: 'source',
  },
  /** KV bytes by link as the router tallies them from worker and pool reports. */
  routerKvBytesByLink: {
    title: 'KV bytes moved by link',
    kind: 'counter',
    names: ['oicf_router_kv_moved_bytes_total'],
    mode: 'first',
    rowLabel: 'link',
  },
  /** The workers' own KV byte counters, used when the router's are absent (per link: max of the two sides). */
  workerKvSentBytes: {
    title: 'worker KV bytes sent by link',
    kind: 'counter',
    names: ['oicf_prefill_kv_sent_bytes_total', 'oicf_decode_kv_sent_bytes_total'],
    mode: 'all',
    rowLabel: 'link',
  },
  workerKvReceivedBytes: {
    title: 'worker KV bytes received by link',
    kind: 'counter',
    names: ['oicf_prefill_kv_received_bytes_total', 'oicf_decode_kv_received_bytes_total'],
    mode: 'all',
    rowLabel: 'link',
  },
  /** FLOPs executed and bytes moved by the real kernels, per phase: OI = ΔFLOPs / Δbytes (preferred when served). */
  executedFlopsByPhase: {
    title: 'executed FLOPs by phase',
    kind: 'counter',
    names: ['oicf_prefill_executed_flops_total', 'oicf_decode_executed_flops_total'],
    mode: 'all',
    rowLabel: 'phase',
  },
  movedBytesByPhase: {
    title: 'memory bytes moved by phase',
    kind: 'counter',
    names: ['oicf_prefill_moved_bytes_total', 'oicf_decode_moved_bytes_total'],
    mode: 'all',
    rowLabel: 'phase',
  },
  /** The workers' counted OI of recent steps (counted FLOPs ÷ counted weight + KV bytes of the graph), per phase. */
  countedIntensityByPhase: {
    title: 'counted OI by phase',
    kind: 'gauge',
    names: ['oicf_prefill_counted_intensity_flops_per_byte', 'oicf_decode_counted_intensity_flops_per_byte'],
    mode: 'all',
    rowLabel: 'phase',
  },
  /** The workers' measured OI of probed steps (counted FLOPs ÷ bytes the executed kernels moved), per phase. */
  measuredIntensityByPhase: {
    title: 'measured OI by phase',
    kind: 'gauge',
    names: ['oicf_prefill_measured_intensity_flops_per_byte', 'oicf_decode_measured_intensity_flops_per_byte'],
    mode: 'all',
    rowLabel: 'phase',
  },
  /** @oicf/core's analytic OI at the same step shape, for comparison. */
  predictedIntensityByPhase: {
    title: 'predicted OI by phase',
    kind: 'gauge',
    names: ['oicf_prefill_predicted_intensity_flops_per_byte', 'oicf_decode_predicted_intensity_flops_per_byte'],
    mode: 'all',
    rowLabel: 'phase',
  },
  /** Bytes resident per running request on a worker (KV bytes per running sequence). */
  capacityFootprintByWorker: {
    title: 'capacity footprint per request by worker',
    kind: 'gauge',
    names: ['oicf_prefill_capacity_footprint_bytes', 'oicf_decode_capacity_footprint_bytes'],
    mode: 'all',
    rowLabel: TARGET_ROW,
  },
  /** Requests admitted and waiting, sampled over time. */
  queuedRequests: {
    title: 'queued requests',
    kind: 'gauge',
    names: ['oicf_decode_waiting_requests', 'vllm:num_requests_waiting'],
    mode: 'first',
    rowLabel: TARGET_ROW,
  },
  /** Requests in flight (the router's count of open requests, or the decode batch). */
  runningRequests: {
    title: 'running requests',
    kind: 'gauge',
    names: ['oicf_router_running_requests', 'oicf_decode_running_requests', 'vllm:num_requests_running'],
    mode: 'first',
    rowLabel: TARGET_ROW,
  },
  /** Prompt tokens waiting to be prefilled, per prefill worker. */
  prefillQueueTokens: {
    title: 'prefill queue (tokens)',
    kind: 'gauge',
    names: ['oicf_prefill_queue_depth_tokens'],
    mode: 'first',
    rowLabel: TARGET_ROW,
  },
  rejectsByReason: {
    title: 'admission rejects by reason',
    kind: 'counter',
    names: ['oicf_router_admission_rejected_requests_total'],
    mode: 'first',
    rowLabel: 'reason',
  },
  routingByReason: {
    title: 'routing decisions by reason',
    kind: 'counter',
    names: ['oicf_router_routed_requests_total'],
    mode: 'first',
    rowLabel: 'reason',
  },
} as const satisfies Record<string, MetricQuery>;

export type ReplayMetricKey = keyof typeof REPLAY_METRICS;

/** Every series name any query may read (a scrape keeps only these). */
export function replayMetricNames(keys: readonly ReplayMetricKey[] = allKeys()): Set<string> {
  return new Set(keys.flatMap((k) => REPLAY_METRICS[k].names));
}

/**
 * The gauges kept from the scrapes during a run (queueing over time, and the OI and CF gauges whose
 * mean over the run the report shows); keeping only these keeps periodic scrapes small.
 */
export const TIMELINE_METRICS: readonly ReplayMetricKey[] = [
  'queuedRequests',
  'runningRequests',
  'prefillQueueTokens',
  'countedIntensityByPhase',
  'measuredIntensityByPhase',
  'predictedIntensityByPhase',
  'capacityFootprintByWorker',
];

function allKeys(): ReplayMetricKey[] {
  return Object.keys(REPLAY_METRICS) as ReplayMetricKey[];
}
