import type { FetchPlan } from '@oicf/kv';
import { type BlockChannels, type BlockProblem, type FetchedBlock, fetchBlocks } from '@oicf/pool-client';
import { toOicfError } from '@oicf/transport';

/**
 * Memory of the worker's own that fetched blocks are read into, reused from request to request (PayloadPool
 * fits: one slab, 4 KiB-aligned chunks). A same-host pool's block is read once, straight into it, and verified
 * there; with none, every block lands in fresh memory (page faults and garbage on every fetch).
 */
export interface PrefixStaging {
  acquire(numBytes: number): Uint8Array;
  release(buffer: Uint8Array): void;
}

export interface PrefixFetch {
  /** Verified blocks, consecutive from the first planned one, each with the holder it came from. */
  readonly blocks: readonly (FetchedBlock & { readonly wsAddress: string })[];
  /** Misses by holder address (an unreachable holder reports every block it was asked for as 'missing'). */
  readonly problems: readonly { wsAddress: string; blockId: string; problem: BlockProblem | 'missing' }[];
  /** Holders whose get failed as a whole (unreachable, timed out, refused), with the error. */
  readonly failures: readonly { wsAddress: string; code: string; message: string }[];
  /** Verified payload bytes received, per holder address. */
  readonly bytesByAddress: ReadonlyMap<string, number>;
  /**
   * Gives the staging memory back (idempotent; nothing to do without `staging`). Call it once the blocks are
   * imported: their payloads are views of that memory and must not be used afterwards.
   */
  release(): void;
}

/**
 * Fetches planned blocks holder by holder (`kv.get`, verified by checksum and identity) and stops at the
 * first miss: later blocks would not extend the prefix. A lease that expired before the fetch (the pool
 * answers FAILED_PRECONDITION) is retried once without it. Failing over is the caller's job: whatever is
 * not fetched gets computed. With `staging`, every block is read into a buffer acquired from it (through a
 * same-host pool's shared memory: one copy, verified in place; over frames: verified, then copied there), a
 * refused block is reported and never returned (its buffer zero-filled when it was read there), and every
 * buffer acquired goes back with `release()` (at once when this throws).
 */
export async function fetchPrefix(
  plans: readonly FetchPlan[],
  options: {
    channels: BlockChannels;
    kvBytesPerToken: number;
    timeoutSeconds: number;
    signal?: AbortSignal;
    staging?: PrefixStaging;
  },
): Promise<PrefixFetch> {
  const blocks: (FetchedBlock & { wsAddress: string })[] = [];
  const problems: { wsAddress: string; blockId: string; problem: BlockProblem | 'missing' }[] = [];
  const bytesByAddress = new Map<string, number>();
  const failures: { wsAddress: string; code: string; message: string }[] = [];
  const { staging } = options;
  const held: Uint8Array[] = [];
  const release = () => {
    for (const b of held.splice(0)) staging?.release(b);
  };
  // Only a planned block of its planned size gets a chunk: anything else a holder sends (an id not asked for,
  // a size the block cannot have) goes to fresh memory and is refused by fetchBlocks, so what a holder sends
  // never holds more of the slab, or more memory until release, than the plan asked for.
  const plannedBytes = new Map<string, number>();
  for (const plan of plans)
    for (const b of plan.blocks) plannedBytes.set(b.blockId, b.numTokens * options.kvBytesPerToken);
  const into =
    staging === undefined
      ? undefined
      : (blockId: string, byteLength: number) => {
          if (plannedBytes.get(blockId) !== byteLength) return undefined;
          const buffer = staging.acquire(byteLength);
          held.push(buffer);
          return buffer;
        };
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
          ...(into !== undefined ? { into } : {}),
        }),
      true,
    );
  try {
    await fetchPlans();
  } catch (err) {
    release();
    throw err;
  }
  return { blocks, problems, failures, bytesByAddress, release };

  async function fetchPlans(): Promise<void> {
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
        for (const b of plan.blocks)
          problems.push({ wsAddress: plan.wsAddress, blockId: b.blockId, problem: 'missing' });
        break;
      }
    }
  }
}
