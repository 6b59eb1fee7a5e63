// Turning what the workers reported about one finished request into the client-facing OicfInfo and usage.
// Pure: the pipeline passes in the routing decision, its own timestamps, and the numbers from the
// PrefillResponse and the Decode stream's chunks. The rule is @oicf/sched's summarizeFinished (the cluster
// twin reports with it too); this file maps it to the wire's snake_case.
import { chunkGaps } from '@oicf/metrics';
import { type DecodeReport, type PrefillReport, type RoutingSummary, summarizeFinished } from '@oicf/sched';
import type { OicfInfo } from './openai-format.js';

export interface RequestObservation {
  readonly routing: RoutingSummary;
  readonly numPromptTokens: number;
  readonly numCompletionTokens: number;
  /** Router clock, seconds. */
  readonly arrivalSeconds: number;
  readonly firstTokenSeconds: number;
  readonly endSeconds: number;
  readonly prefill: PrefillReport | undefined;
  readonly decode: DecodeReport;
  /** Payload bytes of the pool blocks handed to the prefilling worker (from the pool's block sizes). */
  readonly poolBytes: number;
  /** Leading prompt tokens the router's index says the decode worker held. */
  readonly decodeWorkerPrefixTokens: number;
}

export interface RequestSummary {
  readonly info: OicfInfo;
  readonly numCachedTokens: number;
}

/** The client-facing OicfInfo of a finished request (the rule itself: `summarizeFinished` in @oicf/sched). */
export function summarizeRequest(o: RequestObservation): RequestSummary {
  const s = summarizeFinished(o);
  const r = o.routing;
  return {
    numCachedTokens: s.numCachedTokens,
    info: {
      request_id: r.requestId,
      policy: r.policy,
      reason: r.reason,
      prefill_worker_id: r.prefillWorkerId,
      decode_worker_id: r.decodeWorkerId,
      num_cached_tokens: s.numCachedTokens,
      cache_source: s.cacheSource,
      predicted_ttft_seconds: r.predictedTtftSeconds,
      ttft_seconds: s.ttftSeconds,
      e2e_seconds: s.e2eSeconds,
      kv_bytes_moved: s.kvBytesMoved,
      timings: {
        queue_seconds: s.queueSeconds,
        prefill_seconds: s.prefillSeconds,
        kv_transfer_seconds: s.kvTransferSeconds,
        decode_seconds: s.decodeSeconds,
      },
    },
  };
}

/** Inter-token gaps of a whole emission series, per token (`chunkGaps` in @oicf/metrics: the replay client's rule too). */
export function interTokenGaps(emissions: ReadonlyArray<{ atSeconds: number; numTokens: number }>): number[] {
  return emissions.flatMap((e, i) =>
    chunkGaps(i === 0 ? null : (emissions[i - 1]?.atSeconds ?? null), e.atSeconds, e.numTokens),
  );
}
