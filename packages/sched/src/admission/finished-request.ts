// What a finished request teaches the router: how fast its KV moved (the cost model's transfer paths) and
// which blocks its decode worker now holds (the prefix index).
import type { TransferObservation } from '../state/transfer-links.js';
import type { WorkerSpec } from '../state/worker-table.js';
import type { FinishedRequest, RoutePlan } from './admission-types.js';
import { extendedBlockIds } from './prompt-blocks.js';

/**
 * The transfers the workers timed, in the router's units (tokens). Remote prefill: what the prefill worker
 * fetched from the pool and what it handed off. Local prefill: what the decode worker fetched beyond the
 * prefix it held itself, and how long until that KV was present.
 */
export function transferObservation<R extends WorkerSpec>(
  plan: RoutePlan<R>,
  report: FinishedRequest,
  blockTokens: number,
): TransferObservation {
  const p = report.prefill;
  if (p !== undefined) {
    return {
      prefillPoolTokens: p.numCachedTokens,
      prefillFetchSeconds: p.fetchKvSeconds,
      handoffTokens: plan.numHandoffTokens,
      handoffSeconds: p.sendKvSeconds,
    };
  }
  const d = report.decode;
  return {
    decodePoolTokens:
      d.numCachedPromptTokens - Math.min(plan.decodePrefixBlocks * blockTokens, plan.promptTokenIds.length),
    decodeFetchSeconds: d.kvReceiveSeconds,
  };
}

/**
 * Blocks the decode worker keeps once the request finished: the full blocks of prompt + output whose KV
 * it computed (all but the last sampled token, which was never fed back). The prompt's ids are extended,
 * not recomputed.
 */
export function finishedBlockIds<R extends WorkerSpec>(
  plan: RoutePlan<R>,
  generatedTokenIds: readonly number[],
  blockTokens: number,
): string[] {
  return extendedBlockIds(plan.blockIds, plan.promptTokenIds, generatedTokenIds.slice(0, -1), blockTokens);
}
