import type { BlockKey } from '../policies/policy.js';

/**
 * Where each cached block lives. Answers the router's question: how long is the cached
 * prefix of this chain, and which tier holds each of its blocks.
 */

export interface BlockLocation {
  /** Tier name: a tier id of `@oicf/core` (hardware/tiers.ts). */
  readonly tier: string;
  /** Index of the tier in the cache's top-to-bottom order (0 = fastest). */
  readonly tierIndex: number;
  readonly numBytes: number;
  readonly position: number;
  readonly parentKey?: BlockKey | undefined;
}

export interface PrefixLookup {
  /** Length of the longest run of leading blocks that are all cached. */
  readonly numCachedBlocks: number;
  /** Tier of each of those blocks, in chain order (length numCachedBlocks). */
  readonly tiers: readonly string[];
  /** Payload bytes of those blocks. */
  readonly numCachedBytes: number;
}

export class BlockIndex {
  private readonly locations = new Map<BlockKey, BlockLocation>();

  get size(): number {
    return this.locations.size;
  }

  get(key: BlockKey): BlockLocation | undefined {
    return this.locations.get(key);
  }

  has(key: BlockKey): boolean {
    return this.locations.has(key);
  }

  set(key: BlockKey, location: BlockLocation): void {
    this.locations.set(key, location);
  }

  delete(key: BlockKey): boolean {
    return this.locations.delete(key);
  }

  keys(): IterableIterator<BlockKey> {
    return this.locations.keys();
  }

  /**
   * The cached prefix of `chain` (block keys in chain order). Stops at the first absent
   * block: a block after a gap is useless because its KV depends on the missing one.
   */
  longestPrefix(chain: readonly BlockKey[]): PrefixLookup {
    const tiers: string[] = [];
    let numCachedBytes = 0;
    for (const key of chain) {
      const location = this.locations.get(key);
      if (location === undefined) break;
      tiers.push(location.tier);
      numCachedBytes += location.numBytes;
    }
    return { numCachedBlocks: tiers.length, tiers, numCachedBytes };
  }
}
