// Building the inputs of a routing decision (RouteRequest and RouteContext) from what the router knows:
// the prompt's block ids, the pool's cached prefix, the prefix index, the workers' states, and the
// transfer paths the cost model prices with.
import type { RouteContext, RouteRequest, TransferPath, WorkerState } from '../types.js';
import { type PoolPrefix, usablePoolBlocks } from './pool-prefix.js';

/**
 * A RouteRequest's fields as the host has them: the session id as given ('' = none), the pool's whole
 * answer, and the in-flight prefixes by worker (absent or empty: none).
 */
export type RouteRequestArgs = Omit<RouteRequest, 'sessionId' | 'poolPrefix'> & {
  readonly sessionId: string;
  readonly pool: PoolPrefix;
};

export function buildRouteRequest(args: RouteRequestArgs): RouteRequest {
  const { sessionId, pool, workerPendingPrefix } = args;
  const usable = usablePoolBlocks(pool, args.numPromptTokens, args.blockTokens);
  // Field by field (no rest/spread copies on the hot path); optional fields only when set.
  const request: { -readonly [K in keyof RouteRequest]: RouteRequest[K] } = {
    requestId: args.requestId,
    numPromptTokens: args.numPromptTokens,
    maxOutputTokens: args.maxOutputTokens,
    blockIds: args.blockIds,
    blockTokens: args.blockTokens,
    kvBytesPerToken: args.kvBytesPerToken,
    workerPrefixBlocks: args.workerPrefixBlocks,
    poolPrefix: { numBlocks: usable.length, tierOfBlock: usable.length === 0 ? [] : usable.map((b) => b.tier) },
  };
  if (sessionId !== '') request.sessionId = sessionId;
  if (workerPendingPrefix !== undefined && workerPendingPrefix.size > 0)
    request.workerPendingPrefix = workerPendingPrefix;
  return request;
}

export function buildRouteContext(
  workers: readonly WorkerState[],
  mode: 'disaggregated' | 'colocated',
  tierPaths: Readonly<Record<string, TransferPath>>,
  handoffPath: TransferPath,
): RouteContext {
  return { workers, mode, tierPaths, handoffPath };
}
