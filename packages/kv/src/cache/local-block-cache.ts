/** One block of KV held in a worker's own memory (its "HBM" block cache). */
export interface CachedBlock {
  readonly blockId: string;
  /** Previous block of the chain ('' for the first). */
  readonly parentId: string;
  /** 0-based index of the block in its chain (its first token is position · blockTokens). */
  readonly position: number;
  readonly numTokens: number;
  readonly payload: Uint8Array;
  readonly checksum: number;
}

/** What the cache needs of a block: its id and its payload's size (a simulator may hold sizes, not bytes). */
export interface HeldBlock {
  readonly blockId: string;
  readonly payload: { readonly byteLength: number };
}

/**
 * A decode worker's local block cache: full blocks of finished sequences, looked up by longest
 * prefix. LRU, with one twist for chains: a chain is touched (and inserted) deepest block first, so
 * its root ends up the most recent and eviction takes leaves before the blocks they depend on (a
 * child without its parent is useless to a prefix lookup).
 *
 * Capacity is not fixed: the worker calls `shrinkTo(capacity − KV of running sequences)` whenever
 * running usage grows, so running sequences always win.
 */
export class LocalBlockCache<B extends HeldBlock = CachedBlock> {
  private readonly blocks = new Map<string, B>();
  private totalBytes = 0;

  get bytes(): number {
    return this.totalBytes;
  }

  get numBlocks(): number {
    return this.blocks.size;
  }

  has(blockId: string): boolean {
    return this.blocks.has(blockId);
  }

  /** A block without touching it. */
  peek(blockId: string): B | undefined {
    return this.blocks.get(blockId);
  }

  /** The held blocks that start `blockIds` (stopping at the first absent one), touched. */
  longestPrefix(blockIds: readonly string[]): B[] {
    const out: B[] = [];
    for (const id of blockIds) {
      const b = this.blocks.get(id);
      if (b === undefined) break;
      out.push(b);
    }
    this.touchChain(out.map((b) => b.blockId));
    return out;
  }

  /** Adds a chain's blocks (chain order); ones already held are refreshed, not replaced. */
  insertChain(chain: readonly B[]): void {
    for (let i = chain.length - 1; i >= 0; i--) {
      const b = chain[i] as B;
      const held = this.blocks.get(b.blockId);
      this.blocks.delete(b.blockId);
      this.blocks.set(b.blockId, held ?? b);
      if (held === undefined) this.totalBytes += b.payload.byteLength;
    }
  }

  /** Evicts least recently used blocks until at most `limitBytes` remain; returns how many went. */
  shrinkTo(limitBytes: number): number {
    // Workers call this after every engine step; most of the time nothing needs to go.
    if (this.totalBytes <= limitBytes) return 0;
    let n = 0;
    for (const [id, b] of this.blocks) {
      if (this.totalBytes <= limitBytes) break;
      this.blocks.delete(id);
      this.totalBytes -= b.payload.byteLength;
      n++;
    }
    return n;
  }

  private touchChain(ids: readonly string[]): void {
    for (let i = ids.length - 1; i >= 0; i--) {
      const id = ids[i] as string;
      const b = this.blocks.get(id);
      if (b === undefined) continue;
      this.blocks.delete(id);
      this.blocks.set(id, b);
    }
  }
}
