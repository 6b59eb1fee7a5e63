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

export function buildRouteRequest({
  sessionId,
  pool,
  workerPendingPrefix,
  ...request
}: RouteRequestArgs): RouteRequest {
  const usable = usablePoolBlocks(pool, request.numPromptTokens, request.blockTokens);
  return {
    ...request,
    ...(sessionId === '' ? {} : { sessionId }),
    ...(workerPendingPrefix !== undefined && workerPendingPrefix.size > 0 ? { workerPendingPrefix } : {}),
    poolPrefix: { numBlocks: usable.length, tierOfBlock: usable.map((b) => b.tier) },
  };
}

export function buildRouteContext(
  workers: readonly WorkerState[],
  mode: 'disaggregated' | 'colocated',
  tierPaths: Readonly<Record<string, TransferPath>>,
  handoffPath: TransferPath,
): RouteContext {
  return { workers, mode, tierPaths, handoffPath };
}
