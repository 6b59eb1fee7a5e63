// Building the inputs of a routing decision (RouteRequest and RouteContext) from what the router knows:
// the prompt's block ids, the pool's cached prefix, the prefix index, the workers' states, and the
// transfer paths the cost model prices with.
import type { PendingPrefix, RouteContext, RouteRequest, TransferPath, WorkerState } from '../types.js';
import { type PoolPrefix, usablePoolBlocks } from './pool-prefix.js';

export interface RouteRequestArgs {
  readonly requestId: string;
  readonly numPromptTokens: number;
  readonly maxOutputTokens: number;
  readonly blockIds: readonly string[];
  readonly blockTokens: number;
  readonly kvBytesPerToken: number;
  /** '' = none. */
  readonly sessionId: string;
  readonly workerPrefixBlocks: ReadonlyMap<string, number>;
  /** In-flight prefixes by worker (absent or empty: none). */
  readonly workerPendingPrefix?: ReadonlyMap<string, PendingPrefix>;
  readonly pool: PoolPrefix;
}

export function buildRouteRequest(a: RouteRequestArgs): RouteRequest {
  const usable = usablePoolBlocks(a.pool, a.numPromptTokens, a.blockTokens);
  return {
    requestId: a.requestId,
    numPromptTokens: a.numPromptTokens,
    maxOutputTokens: a.maxOutputTokens,
    blockIds: a.blockIds,
    blockTokens: a.blockTokens,
    kvBytesPerToken: a.kvBytesPerToken,
    ...(a.sessionId === '' ? {} : { sessionId: a.sessionId }),
    workerPrefixBlocks: a.workerPrefixBlocks,
    ...(a.workerPendingPrefix !== undefined && a.workerPendingPrefix.size > 0
      ? { workerPendingPrefix: a.workerPendingPrefix }
      : {}),
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
