// Turning what the workers reported about one finished request into the client-facing OicfInfo and usage.
// Pure: the pipeline passes in the routing decision, its own timestamps, and the numbers from the
// PrefillResponse and the Decode stream's chunks.
import { chunkGaps } from '@oicf/metrics';
import type { DecodeReport, PrefillReport, RoutingSummary } from '@oicf/sched';
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

/**
 * Remote prefill: the prompt tokens not recomputed are those the prefill worker fetched from the pool;
 * time splits into queue (both workers), prefill compute, KV transfer (fetch + push) and decode. Local
 * prefill: the decode worker reports its cached tokens (own cache first, then pool) and the prefill time
 * is its first chunk's time minus its queue and KV receive time.
 */
export function summarizeRequest(o: RequestObservation): RequestSummary {
  const p = o.prefill;
  const d = o.decode;
  const numCachedTokens = p !== undefined ? p.numCachedTokens : d.numCachedPromptTokens;
  let cacheSource: OicfInfo['cache_source'] = 'none';
  if (numCachedTokens > 0) {
    cacheSource = p === undefined && numCachedTokens <= o.decodeWorkerPrefixTokens ? 'worker' : 'pool';
  }
  const timings =
    p !== undefined
      ? {
          queue_seconds: p.queueSeconds + d.queueSeconds,
          prefill_seconds: p.computeSeconds,
          kv_transfer_seconds: p.fetchKvSeconds + p.sendKvSeconds,
          decode_seconds: d.decodeSeconds,
        }
      : {
          queue_seconds: d.queueSeconds,
          prefill_seconds: Math.max(0, d.firstChunkAfterSeconds - d.queueSeconds - d.kvReceiveSeconds),
          kv_transfer_seconds: d.kvReceiveSeconds,
          decode_seconds: d.decodeSeconds,
        };
  const r = o.routing;
  return {
    numCachedTokens,
    info: {
      request_id: r.requestId,
      policy: r.policy,
      reason: r.reason,
      prefill_worker_id: r.prefillWorkerId,
      decode_worker_id: r.decodeWorkerId,
      num_cached_tokens: numCachedTokens,
      cache_source: cacheSource,
      predicted_ttft_seconds: r.predictedTtftSeconds,
      ttft_seconds: o.firstTokenSeconds - o.arrivalSeconds,
      e2e_seconds: o.endSeconds - o.arrivalSeconds,
      kv_bytes_moved: (p?.kvBytesSent ?? 0) + o.poolBytes,
      timings,
    },
  };
}

/** Inter-token gaps of a whole emission series, per token (`chunkGaps` in @oicf/metrics: the replay client's rule too). */
export function interTokenGaps(emissions: ReadonlyArray<{ atSeconds: number; numTokens: number }>): number[] {
  return emissions.flatMap((e, i) =>
    chunkGaps(i === 0 ? null : (emissions[i - 1]?.atSeconds ?? null), e.atSeconds, e.numTokens),
  );
}
