import type { FetchPlan } from '@oicf/kv';
import { type BlockChannels, type BlockProblem, type FetchedBlock, fetchBlocks } from '@oicf/pool-client';
import { toOicfError } from '@oicf/transport';

export interface PrefixFetch {
  /** Verified blocks, consecutive from the first planned one, each with the holder it came from. */
  readonly blocks: readonly (FetchedBlock & { readonly wsAddress: string })[];
  /** Misses by holder address (an unreachable holder reports every block it was asked for as 'missing'). */
  readonly problems: readonly { wsAddress: string; blockId: string; problem: BlockProblem | 'missing' }[];
  /** Holders whose get failed as a whole (unreachable, timed out, refused), with the error. */
  readonly failures: readonly { wsAddress: string; code: string; message: string }[];
  /** Verified payload bytes received, per holder address. */
  readonly bytesByAddress: ReadonlyMap<string, number>;
}

/**
 * Fetches planned blocks holder by holder (`kv.get`, verified by checksum and identity) and stops at the
 * first miss: later blocks would not extend the prefix. A lease that expired before the fetch (the pool
 * answers FAILED_PRECONDITION) is retried once without it. Failing over is the caller's job: whatever is
 * not fetched gets computed.
 */
export async function fetchPrefix(
  plans: readonly FetchPlan[],
  options: { channels: BlockChannels; kvBytesPerToken: number; timeoutSeconds: number; signal?: AbortSignal },
): Promise<PrefixFetch> {
  const blocks: (FetchedBlock & { wsAddress: string })[] = [];
  const problems: { wsAddress: string; blockId: string; problem: BlockProblem | 'missing' }[] = [];
  const bytesByAddress = new Map<string, number>();
  const failures: { wsAddress: string; code: string; message: string }[] = [];
  const fetchFrom = (plan: FetchPlan, leaseId: string) =>
    options.channels.with(
      plan.wsAddress,
      (c) =>
        fetchBlocks(c, {
          blocks: plan.blocks,
          leaseId,
          kvBytesPerToken: options.kvBytesPerToken,
          timeoutSeconds: options.timeoutSeconds,
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
        }),
      true,
    );
  for (const plan of plans) {
    try {
      let got: Awaited<ReturnType<typeof fetchFrom>>;
      try {
        got = await fetchFrom(plan, plan.leaseId);
      } catch (err) {
        // The lease ran out while this request queued (a busy worker can take longer than its TTL): the
        // blocks were only unpinned, not necessarily dropped, so read them unleased before computing them.
        if (plan.leaseId === '' || toOicfError(err).code !== 'FAILED_PRECONDITION' || options.signal?.aborted)
          throw err;
        got = await fetchFrom(plan, '');
      }
      for (const b of got.blocks) blocks.push({ ...b, wsAddress: plan.wsAddress });
      for (const p of got.problems) problems.push({ wsAddress: plan.wsAddress, ...p });
      bytesByAddress.set(plan.wsAddress, (bytesByAddress.get(plan.wsAddress) ?? 0) + got.bytesReceived);
      if (got.blocks.length < plan.blocks.length) break;
    } catch (err) {
      if (options.signal?.aborted) throw err;
      // The holder is a cache: whatever it could not serve is computed instead.
      const e = toOicfError(err);
      failures.push({ wsAddress: plan.wsAddress, code: e.code, message: e.message });
      for (const b of plan.blocks) problems.push({ wsAddress: plan.wsAddress, blockId: b.blockId, problem: 'missing' });
      break;
    }
  }
  return { blocks, problems, failures, bytesByAddress };
}
