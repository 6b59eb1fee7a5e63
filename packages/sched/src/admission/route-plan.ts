// From a routing decision to how the request runs: which pool blocks to lease, and how much of the prompt's
// KV the prefill worker hands to the decode worker.
import { reusablePrefixBlocks } from '@oicf/kv';
import type { WorkerSpec } from '../state/worker-table.js';
import type { AwaitPrefix } from '../types.js';
import type { AdmissionInput, RoutePlan } from './admission-types.js';
import { type PoolPrefix, usablePoolBlocks } from './pool-prefix.js';

export interface RoutePlanArgs<R extends WorkerSpec> {
  readonly input: AdmissionInput;
  readonly blockIds: readonly string[];
  readonly blockTokens: number;
  readonly pool: PoolPrefix;
  readonly decode: R;
  readonly prefill: R | undefined;
  readonly numCachedTokens: number;
  /** Leading prompt blocks the prefix index says the decode worker holds (with an awaited prefix: once it lands). */
  readonly decodePrefixBlocks: number;
  /** The policy chose to wait for an in-flight prefix on the decode worker (local prefill after it). */
  readonly awaitPrefix?: AwaitPrefix;
}

export function planRoute<R extends WorkerSpec>(a: RoutePlanArgs<R>): RoutePlan<R> {
  const numPrompt = a.input.promptTokenIds.length;
  const bt = a.blockTokens;
  const poolBlocks = usablePoolBlocks(a.pool, numPrompt, bt);
  const remote = a.prefill !== undefined;
  // A prefill worker keeps no KV, so it reads every usable pool block; a decode worker prefilling locally
  // reads them only when the pool holds more than its own prefix (it then takes the pool's, whole).
  const lease = poolBlocks.length > 0 && (remote || poolBlocks.length > a.decodePrefixBlocks);
  // The handoff skips what the decode worker holds, up to the prompt's last full block before its final
  // token (that token's KV is always computed and shipped).
  const numDecodeCachedTokens = remote ? Math.min(a.decodePrefixBlocks, reusablePrefixBlocks(numPrompt, bt)) * bt : 0;
  return {
    requestId: a.input.requestId,
    promptTokenIds: a.input.promptTokenIds,
    maxTokens: a.input.maxTokens,
    blockIds: a.blockIds,
    decode: a.decode,
    prefill: a.prefill,
    numCachedTokens: a.numCachedTokens,
    poolBlocksToLease: lease ? poolBlocks : [],
    decodePrefixBlocks: a.decodePrefixBlocks,
    numDecodeCachedTokens,
    numHandoffTokens: remote ? numPrompt - numDecodeCachedTokens : 0,
    ...(a.awaitPrefix !== undefined && !remote
      ? {
          awaitPrefix: {
            requestId: a.awaitPrefix.requestId,
            numTokens: a.awaitPrefix.numBlocks * bt,
            expectedWaitSeconds: a.awaitPrefix.waitSeconds,
          },
        }
      : {}),
  };
}
