import type { CacheSource, RoutingInfo } from '@oicf/report';

/**
 * Reads the router's `oicf` block (snake_case, see the router HTTP contract) into RoutingInfo.
 * Lenient: a missing or mistyped field becomes null rather than failing the request, since the
 * report shows n/a for it. Returns null when `value` is not an object.
 */
export function parseOicfInfo(value: unknown): RoutingInfo | null {
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  const t = (typeof o.timings === 'object' && o.timings !== null ? o.timings : {}) as Record<string, unknown>;
  const source = o.cache_source;
  return {
    serverRequestId: str(o.request_id),
    policy: str(o.policy),
    reason: str(o.reason),
    prefillWorkerId: str(o.prefill_worker_id),
    decodeWorkerId: str(o.decode_worker_id),
    cacheSource: source === 'worker' || source === 'pool' || source === 'none' ? (source as CacheSource) : null,
    numCachedTokens: num(o.num_cached_tokens),
    predictedTtftSeconds: num(o.predicted_ttft_seconds),
    serverTtftSeconds: num(o.ttft_seconds),
    serverE2eSeconds: num(o.e2e_seconds),
    kvBytesMoved: num(o.kv_bytes_moved),
    queueSeconds: num(t.queue_seconds),
    prefillSeconds: num(t.prefill_seconds),
    kvTransferSeconds: num(t.kv_transfer_seconds),
    decodeSeconds: num(t.decode_seconds),
  };
}

/** True when the block is the full OicfInfo (the last chunk's), not just `{ request_id }`. */
export function isFullOicfInfo(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'policy' in value;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}
