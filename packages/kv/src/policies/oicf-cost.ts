import { type TierModel, transferSeconds } from '../tiers/tier-model.js';
import { MinHeap } from '../util/min-heap.js';
import type { BlockKey, EvictionPolicy, PolicyEntry, PolicyPlugin, Victim } from './policy.js';

/**
 * The oicf cost policy: keep the blocks whose bytes save the most recompute time.
 *
 *   priority(block) = L + expectedReuse × recomputeSecondsForBlock(position) ÷ numBytes
 *
 * This is GreedyDual-Size-Frequency (Cherkasova, HP Labs 1998) with prefill recompute time
 * as the cost:
 * - expectedReuse: the block's use count while resident (initialReuse on insert, +1 per hit),
 *   optionally capped at maxReuse (default: no cap, as in GDSF).
 * - recomputeSecondsForBlock(position): prefill time to rebuild the block given its prefix.
 *   Attention over the prefix grows with position, so deeper blocks cost more; callers plug in
 *   `@oicf/core`'s prediction for their model and device. The default is an illustrative
 *   linear model (see defaultRecomputeSecondsForBlock).
 * - L (the inflation value) is raised to the priority of each victim, so blocks that are not
 *   used again age out as the cache turns over; no time constant to tune.
 * - The victim is the lowest-priority evictable *leaf* (no resident child in this tier): a
 *   block is useful only while its whole prefix is cached, so evicting a parent before its
 *   child would strand the child. If no evictable leaf exists, the lowest-priority evictable
 *   block (a linear scan; happens only when every leaf is pinned).
 * - Demote to the next tier instead of dropping when fetching the block back from that tier
 *   is faster than recomputing it: transferSeconds(lowerTier, numBytes) < recompute seconds.
 *
 * Only leaves sit in the heap (lazily: a stale or non-leaf item is discarded when popped and
 * the block is pushed again when it becomes a leaf), so a victim costs O(log n) amortised.
 */

export interface OicfCostParams {
  initialReuse: number;
  maxReuse: number;
  recomputeSecondsForBlock: (position: number) => number;
}

/**
 * Illustrative default: a block of 512 tokens of an 8B-class dense model, in units where the
 * non-attention part costs 1 and the attention part grows by 1/64 per preceding block
 * (attention FLOPs per token ≈ 4·L·d_model·layers vs 2·params: for Llama-3-8B at L = 512·p
 * that is ≈ 0.0168·p ≈ p/60). Only ratios matter for ranking.
 */
export function defaultRecomputeSecondsForBlock(position: number): number {
  return 1 + (position + 0.5) / 64;
}

interface State {
  readonly entry: PolicyEntry;
  reuse: number;
  priority: number;
  /** Bumped on every re-key so older heap items are recognised as stale. */
  version: number;
  /** recompute seconds ÷ bytes. */
  readonly costPerByte: number;
}

export class OicfCostPolicy implements EvictionPolicy {
  readonly name = 'oicf';
  private readonly states = new Map<BlockKey, State>();
  private readonly numChildren = new Map<BlockKey, number>();
  private readonly leaves = new MinHeap<{ key: BlockKey; version: number }>();
  /** GreedyDual inflation value: priority of the last victim. */
  private inflation = 0;

  constructor(private readonly params: OicfCostParams) {}

  get numBlocks(): number {
    return this.states.size;
  }

  has(key: BlockKey): boolean {
    return this.states.has(key);
  }

  insert(entry: PolicyEntry, _nowSeconds?: number): void {
    this.remove(entry.key);
    const recompute = this.params.recomputeSecondsForBlock(entry.position);
    const state: State = {
      entry,
      reuse: this.params.initialReuse,
      priority: 0,
      version: 0,
      costPerByte: recompute / Math.max(entry.numBytes, 1),
    };
    this.states.set(entry.key, state);
    const parent = entry.parentKey;
    if (parent !== undefined) {
      this.numChildren.set(parent, (this.numChildren.get(parent) ?? 0) + 1);
    }
    this.rekey(state);
  }

  touch(key: BlockKey, _nowSeconds?: number): void {
    const state = this.states.get(key);
    if (state === undefined) return;
    state.reuse = Math.min(state.reuse + 1, this.params.maxReuse);
    this.rekey(state);
  }

  remove(key: BlockKey): boolean {
    const state = this.states.get(key);
    if (state === undefined) return false;
    this.forget(state);
    return true;
  }

  /** Current priority of a resident block; for tests and stats. */
  priorityOf(key: BlockKey): number | undefined {
    return this.states.get(key)?.priority;
  }

  victim(
    canEvict: (key: BlockKey) => boolean,
    _nowSeconds: number,
    lowerTier: TierModel | undefined,
  ): Victim | undefined {
    this.compactIfBloated();
    // Made only when a leaf is pinned (most victims are the first live leaf popped: no array per call).
    let setAside: { priority: number; value: { key: BlockKey; version: number } }[] | undefined;
    let chosen: State | undefined;
    for (let item = this.leaves.pop(); item !== undefined; item = this.leaves.pop()) {
      const state = this.states.get(item.value.key);
      if (state === undefined || state.version !== item.value.version || !this.isLeaf(state)) continue;
      if (!canEvict(state.entry.key)) {
        setAside ??= [];
        setAside.push(item);
        continue;
      }
      chosen = state;
      break;
    }
    if (setAside !== undefined) for (const item of setAside) this.leaves.push(item.priority, item.value);
    chosen ??= this.lowestEvictable(canEvict);
    if (chosen === undefined) return undefined;
    this.inflation = Math.max(this.inflation, chosen.priority);
    const recompute = this.params.recomputeSecondsForBlock(chosen.entry.position);
    const demote = lowerTier !== undefined && transferSeconds(lowerTier, chosen.entry.numBytes) < recompute;
    this.forget(chosen);
    return { entry: chosen.entry, demote };
  }

  private isLeaf(state: State): boolean {
    return !this.numChildren.has(state.entry.key);
  }

  private lowestEvictable(canEvict: (key: BlockKey) => boolean): State | undefined {
    let best: State | undefined;
    for (const state of this.states.values()) {
      if (canEvict(state.entry.key) && (best === undefined || state.priority < best.priority)) best = state;
    }
    return best;
  }

  /** priority = L + reuse × recompute seconds ÷ bytes, recomputed with the current L. */
  private rekey(state: State): void {
    state.priority = this.inflation + state.reuse * state.costPerByte;
    state.version++;
    if (this.isLeaf(state)) this.leaves.push(state.priority, { key: state.entry.key, version: state.version });
  }

  private forget(state: State): void {
    this.states.delete(state.entry.key);
    state.version++;
    const parent = state.entry.parentKey;
    if (parent === undefined) return;
    const n = (this.numChildren.get(parent) ?? 1) - 1;
    if (n > 0) {
      this.numChildren.set(parent, n);
      return;
    }
    this.numChildren.delete(parent);
    const parentState = this.states.get(parent);
    // The parent just became a leaf: it enters the heap with its current priority.
    if (parentState !== undefined)
      this.leaves.push(parentState.priority, { key: parent, version: parentState.version });
  }

  /** Rebuilds the heap when stale items outnumber live ones, bounding memory. */
  private compactIfBloated(): void {
    if (this.leaves.size <= 2 * this.states.size + 1024) return;
    this.leaves.clear();
    for (const state of this.states.values()) {
      if (this.isLeaf(state)) this.leaves.push(state.priority, { key: state.entry.key, version: state.version });
    }
  }
}

export const oicfCostPlugin: PolicyPlugin<OicfCostParams> = {
  name: 'oicf',
  summary: 'GreedyDual-Size-Frequency on recompute seconds saved per byte; demotes when fetching beats recomputing.',
  paramSchema: {
    initialReuse: {
      kind: 'number',
      default: 1,
      min: 0,
      exclusiveMin: true,
      description: 'Use count given to a newly inserted block.',
    },
    maxReuse: {
      kind: 'number',
      default: Number.POSITIVE_INFINITY,
      min: 1,
      description: 'Cap on the use count (Infinity: plain GDSF).',
    },
    recomputeSecondsForBlock: {
      kind: 'function',
      default: defaultRecomputeSecondsForBlock,
      description: '(position: number) => seconds to recompute the block at that chain position, given its prefix.',
    },
  },
  create: (params) => new OicfCostPolicy(params),
};
