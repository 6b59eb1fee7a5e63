import type { TierModel } from '../tiers/tier-model.js';
import type { BlockKey, EvictionPolicy, PolicyEntry, PolicyPlugin, Victim } from './policy.js';

/**
 * Least recently used. A Map's insertion order is the recency list: a touch re-inserts the
 * key at the end, the victim is the first evictable key from the front. Pinned keys are
 * skipped (cost O(pinned) per victim). Victims are demoted whenever a lower tier exists.
 */
export class LruPolicy implements EvictionPolicy {
  readonly name = 'lru';
  private readonly entries = new Map<BlockKey, PolicyEntry>();

  get numBlocks(): number {
    return this.entries.size;
  }

  has(key: BlockKey): boolean {
    return this.entries.has(key);
  }

  insert(entry: PolicyEntry, _nowSeconds?: number): void {
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
  }

  touch(key: BlockKey, _nowSeconds?: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  remove(key: BlockKey): boolean {
    return this.entries.delete(key);
  }

  victim(
    canEvict: (key: BlockKey) => boolean,
    _nowSeconds: number,
    lowerTier: TierModel | undefined,
  ): Victim | undefined {
    for (const [key, entry] of this.entries) {
      if (!canEvict(key)) continue;
      this.entries.delete(key);
      return { entry, demote: lowerTier !== undefined };
    }
    return undefined;
  }
}

export const lruPlugin: PolicyPlugin<Record<string, never>> = {
  name: 'lru',
  summary: 'Least recently used; demotes every victim when a lower tier exists.',
  paramSchema: {},
  create: () => new LruPolicy(),
};
