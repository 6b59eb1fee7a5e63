import type { TierModel } from '../tiers/tier-model.js';
import type { BlockKey, EvictionPolicy, PolicyContext, PolicyEntry, PolicyPlugin, Victim } from './policy.js';

/**
 * S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP'23):
 * a small FIFO S (10 % of capacity) that filters one-hit wonders, a main FIFO M with
 * 2-bit-clock reinsertion, and a ghost FIFO G remembering keys recently evicted from S.
 *
 * - insert: into M if the key is in G (it proved reuse), else into S; frequency 0.
 * - hit: frequency ← min(frequency + 1, maxFrequency).
 * - evict: from S when S holds ≥ smallQueueRatio of capacity (or M is empty), else from M.
 *   S head: frequency ≥ moveToMainThreshold → moved to M (frequency cleared), else evicted
 *   and remembered in G. M head: frequency > 0 → reinserted with frequency − 1, else evicted.
 * Defaults follow libCacheSim's S3FIFO.c (small 0.10, ghost 0.90, move-to-main threshold 2,
 * which is the paper's "accessed more than once"). Pinned keys are rotated to their queue's
 * tail without losing frequency. Victims are demoted whenever a lower tier exists.
 */

export interface S3FifoParams {
  smallQueueRatio: number;
  ghostQueueRatio: number;
  moveToMainThreshold: number;
  maxFrequency: number;
}

interface Node {
  readonly entry: PolicyEntry;
  frequency: number;
}

export class S3FifoPolicy implements EvictionPolicy {
  readonly name = 's3-fifo';
  private readonly small = new Map<BlockKey, Node>();
  private readonly main = new Map<BlockKey, Node>();
  private readonly ghost = new Map<BlockKey, number>();
  private smallBytes = 0;
  private ghostBytes = 0;
  private readonly smallTargetBytes: number;
  private readonly ghostTargetBytes: number;

  constructor(
    private readonly params: S3FifoParams,
    context: PolicyContext,
  ) {
    this.smallTargetBytes = params.smallQueueRatio * context.capacityBytes;
    this.ghostTargetBytes = params.ghostQueueRatio * context.capacityBytes;
  }

  get numBlocks(): number {
    return this.small.size + this.main.size;
  }

  has(key: BlockKey): boolean {
    return this.small.has(key) || this.main.has(key);
  }

  /** Which queue holds a key: for tests and stats. */
  queueOf(key: BlockKey): 'small' | 'main' | 'ghost' | undefined {
    if (this.small.has(key)) return 'small';
    if (this.main.has(key)) return 'main';
    return this.ghost.has(key) ? 'ghost' : undefined;
  }

  insert(entry: PolicyEntry, _nowSeconds?: number): void {
    this.remove(entry.key);
    const node: Node = { entry, frequency: 0 };
    const ghostBytes = this.ghost.get(entry.key);
    if (ghostBytes !== undefined) {
      this.ghost.delete(entry.key);
      this.ghostBytes -= ghostBytes;
      this.main.set(entry.key, node);
    } else {
      this.small.set(entry.key, node);
      this.smallBytes += entry.numBytes;
    }
  }

  touch(key: BlockKey, _nowSeconds?: number): void {
    const node = this.small.get(key) ?? this.main.get(key);
    if (node !== undefined) node.frequency = Math.min(node.frequency + 1, this.params.maxFrequency);
  }

  remove(key: BlockKey): boolean {
    const inSmall = this.small.get(key);
    if (inSmall !== undefined) {
      this.small.delete(key);
      this.smallBytes -= inSmall.entry.numBytes;
      return true;
    }
    // Ghost entries are kept: they describe keys that are not resident, which is what the
    // ghost is for (insert consults it).
    return this.main.delete(key);
  }

  victim(
    canEvict: (key: BlockKey) => boolean,
    _nowSeconds: number,
    lowerTier: TierModel | undefined,
  ): Victim | undefined {
    const demote = lowerTier !== undefined;
    const fromSmallFirst = this.smallBytes >= this.smallTargetBytes || this.main.size === 0;
    const entry = fromSmallFirst
      ? (this.evictSmall(canEvict) ?? this.evictMain(canEvict))
      : (this.evictMain(canEvict) ?? this.evictSmall(canEvict));
    return entry === undefined ? undefined : { entry, demote };
  }

  private evictSmall(canEvict: (key: BlockKey) => boolean): PolicyEntry | undefined {
    let numSkipped = 0;
    while (this.small.size > numSkipped) {
      const [key, node] = this.small.entries().next().value as [BlockKey, Node];
      this.small.delete(key);
      if (!canEvict(key)) {
        this.small.set(key, node);
        numSkipped++;
        continue;
      }
      this.smallBytes -= node.entry.numBytes;
      if (node.frequency >= this.params.moveToMainThreshold) {
        node.frequency = 0;
        this.main.set(key, node);
        continue;
      }
      this.remember(key, node.entry.numBytes);
      return node.entry;
    }
    return undefined;
  }

  private evictMain(canEvict: (key: BlockKey) => boolean): PolicyEntry | undefined {
    let numSkipped = 0;
    while (this.main.size > numSkipped) {
      const [key, node] = this.main.entries().next().value as [BlockKey, Node];
      this.main.delete(key);
      if (!canEvict(key)) {
        this.main.set(key, node);
        numSkipped++;
        continue;
      }
      if (node.frequency > 0) {
        node.frequency -= 1;
        this.main.set(key, node);
        numSkipped = 0;
        continue;
      }
      return node.entry;
    }
    return undefined;
  }

  private remember(key: BlockKey, numBytes: number): void {
    if (this.ghostTargetBytes <= 0) return;
    this.ghost.set(key, numBytes);
    this.ghostBytes += numBytes;
    while (this.ghostBytes > this.ghostTargetBytes && this.ghost.size > 0) {
      const [oldKey, oldBytes] = this.ghost.entries().next().value as [BlockKey, number];
      this.ghost.delete(oldKey);
      this.ghostBytes -= oldBytes;
    }
  }
}

export const s3FifoPlugin: PolicyPlugin<S3FifoParams> = {
  name: 's3-fifo',
  summary: 'S3-FIFO (SOSP 2023): small FIFO + main FIFO with reinsertion + ghost FIFO.',
  paramSchema: {
    smallQueueRatio: {
      kind: 'number',
      default: 0.1,
      min: 0,
      max: 1,
      description: 'Share of capacity for the small FIFO.',
    },
    ghostQueueRatio: {
      kind: 'number',
      default: 0.9,
      min: 0,
      description: 'Ghost FIFO size as a share of capacity (bytes of remembered keys).',
    },
    moveToMainThreshold: {
      kind: 'number',
      default: 2,
      min: 1,
      integer: true,
      description: 'Hits in the small FIFO needed to move to the main FIFO.',
    },
    maxFrequency: {
      kind: 'number',
      default: 3,
      min: 1,
      integer: true,
      description: 'Saturation of the hit counter (2 bits).',
    },
  },
  create: (params, context) => new S3FifoPolicy(params, context),
};
