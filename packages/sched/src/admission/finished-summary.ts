// What a finished request reports to its client (the router's OicfInfo and usage, step 6 of
// docs/architecture.md), from the routing decision, the router's own timestamps and the workers'
// reports: how many prompt tokens were reused and from where, and where the time went. One rule for
// the router (apps/router core/request-summary.ts maps it to the wire) and the cluster twin's records.
import type { DecodeReport, PrefillReport, RoutingSummary } from './admission-types.js';

export interface FinishedObservation {
  readonly routing: RoutingSummary;
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

export interface FinishedSummary {
  /** Prompt tokens not recomputed (the client's usage.prompt_tokens_details.cached_tokens). */
  readonly numCachedTokens: number;
  readonly cacheSource: 'worker' | 'pool' | 'none';
  readonly ttftSeconds: number;
  readonly e2eSeconds: number;
  readonly kvBytesMoved: number;
  readonly queueSeconds: number;
  readonly prefillSeconds: number;
  readonly kvTransferSeconds: number;
  readonly decodeSeconds: number;
}

/**
 * Remote prefill: the prompt tokens not recomputed are those the prefill worker fetched from the pool;
 * time splits into queue (both workers), prefill compute, KV transfer (fetch + push) and decode. Local
 * prefill: the decode worker reports its cached tokens (own cache first, then pool) and the prefill time
 * is its first chunk's time minus its queue and KV receive time.
 */
export function summarizeFinished(o: FinishedObservation): FinishedSummary {
  const p = o.prefill;
  const d = o.decode;
  const numCachedTokens = p !== undefined ? p.numCachedTokens : d.numCachedPromptTokens;
  let cacheSource: FinishedSummary['cacheSource'] = 'none';
  if (numCachedTokens > 0) {
    cacheSource = p === undefined && numCachedTokens <= o.decodeWorkerPrefixTokens ? 'worker' : 'pool';
  }
  const timings =
    p !== undefined
      ? {
          queueSeconds: p.queueSeconds + d.queueSeconds,
          prefillSeconds: p.computeSeconds,
          kvTransferSeconds: p.fetchKvSeconds + p.sendKvSeconds,
          decodeSeconds: d.decodeSeconds,
        }
      : {
          queueSeconds: d.queueSeconds,
          prefillSeconds: Math.max(0, d.firstChunkAfterSeconds - d.queueSeconds - d.kvReceiveSeconds),
          kvTransferSeconds: d.kvReceiveSeconds,
          decodeSeconds: d.decodeSeconds,
        };
  return {
    numCachedTokens,
    cacheSource,
    ttftSeconds: o.firstTokenSeconds - o.arrivalSeconds,
    e2eSeconds: o.endSeconds - o.arrivalSeconds,
    kvBytesMoved: (p?.kvBytesSent ?? 0) + o.poolBytes,
    ...timings,
  };
}
