import type { TierModel } from '../tiers/tier-model.js';
import type { BlockKey, EvictionPolicy, PolicyEntry, PolicyPlugin, Victim } from './policy.js';

/**
 * Least frequently used, O(1) per operation (Shah, Mitra & Matani, "An O(1) algorithm for
 * implementing the LFU cache eviction scheme", 2010): a sorted doubly linked list of
 * frequency buckets; each bucket is a Map whose insertion order breaks ties by recency
 * (least recently used first). A block's count starts at 1 on insert and is forgotten when it
 * leaves the tier. Victims are demoted whenever a lower tier exists.
 */

interface Bucket {
  readonly frequency: number;
  readonly keys: Map<BlockKey, PolicyEntry>;
  prev: Bucket | undefined;
  next: Bucket | undefined;
}

export class LfuPolicy implements EvictionPolicy {
  readonly name = 'lfu';
  private readonly bucketOf = new Map<BlockKey, Bucket>();
  /** Lowest-frequency bucket; buckets never stay empty. */
  private head: Bucket | undefined;

  get numBlocks(): number {
    return this.bucketOf.size;
  }

  has(key: BlockKey): boolean {
    return this.bucketOf.has(key);
  }

  insert(entry: PolicyEntry, _nowSeconds?: number): void {
    this.remove(entry.key);
    let bucket = this.head;
    if (bucket === undefined || bucket.frequency !== 1) {
      bucket = { frequency: 1, keys: new Map(), prev: undefined, next: this.head };
      if (this.head !== undefined) this.head.prev = bucket;
      this.head = bucket;
    }
    bucket.keys.set(entry.key, entry);
    this.bucketOf.set(entry.key, bucket);
  }

  touch(key: BlockKey, _nowSeconds?: number): void {
    const bucket = this.bucketOf.get(key);
    if (bucket === undefined) return;
    const entry = bucket.keys.get(key) as PolicyEntry;
    let next = bucket.next;
    if (next === undefined || next.frequency !== bucket.frequency + 1) {
      next = { frequency: bucket.frequency + 1, keys: new Map(), prev: bucket, next: bucket.next };
      if (bucket.next !== undefined) bucket.next.prev = next;
      bucket.next = next;
    }
    next.keys.set(key, entry);
    this.bucketOf.set(key, next);
    this.detach(bucket, key);
  }

  remove(key: BlockKey): boolean {
    const bucket = this.bucketOf.get(key);
    if (bucket === undefined) return false;
    this.bucketOf.delete(key);
    this.detach(bucket, key);
    return true;
  }

  victim(
    canEvict: (key: BlockKey) => boolean,
    _nowSeconds: number,
    lowerTier: TierModel | undefined,
  ): Victim | undefined {
    for (let bucket = this.head; bucket !== undefined; bucket = bucket.next) {
      for (const [key, entry] of bucket.keys) {
        if (!canEvict(key)) continue;
        this.remove(key);
        return { entry, demote: lowerTier !== undefined };
      }
    }
    return undefined;
  }

  /** Frequency count of a resident block (for tests and stats). */
  frequencyOf(key: BlockKey): number | undefined {
    return this.bucketOf.get(key)?.frequency;
  }

  private detach(bucket: Bucket, key: BlockKey): void {
    bucket.keys.delete(key);
    if (bucket.keys.size > 0) return;
    if (bucket.prev !== undefined) bucket.prev.next = bucket.next;
    else this.head = bucket.next;
    if (bucket.next !== undefined) bucket.next.prev = bucket.prev;
  }
}

export const lfuPlugin: PolicyPlugin<Record<string, never>> = {
  name: 'lfu',
  summary: 'Least frequently used (ties: least recently used); demotes every victim when a lower tier exists.',
  paramSchema: {},
  create: () => new LfuPolicy(),
};
