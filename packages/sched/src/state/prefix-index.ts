// The router's approximate index of which KV blocks each decode worker holds in its own memory (like
// llm-d's approximate prefix scorer): filled from what the router sent where, never asked of the worker.
// Per worker an LRU set of block ids, capped at the worker's capacity in blocks. A prompt's chain is
// recorded deepest block first, so its first block is the most recent and eviction trims a chain from
// the tail, the way the worker's own LRU cache loses a prefix (the leading blocks of a chain stay usable).

export class PrefixIndex {
  /** Per worker: block id → true, Map insertion order = recency (last = most recent). */
  private readonly blocks = new Map<string, Map<string, true>>();
  private readonly capacityBlocks = new Map<string, number>();

  /** Sets a worker's capacity in blocks (≥ 0), evicting least recent blocks beyond it. */
  setCapacity(workerId: string, numBlocks: number): void {
    this.capacityBlocks.set(workerId, Math.max(0, Math.floor(numBlocks)));
    this.trim(workerId);
  }

  /** Records that `workerId` holds `blockIds` (one chain, first block first). */
  record(workerId: string, blockIds: readonly string[]): void {
    let set = this.blocks.get(workerId);
    if (set === undefined) {
      set = new Map();
      this.blocks.set(workerId, set);
    }
    for (let i = blockIds.length - 1; i >= 0; i--) {
      const id = blockIds[i] as string;
      set.delete(id);
      set.set(id, true);
    }
    this.trim(workerId);
  }

  /** Leading blocks of `blockIds` the worker holds (0 when the first is missing). */
  leadingBlocks(workerId: string, blockIds: readonly string[]): number {
    const set = this.blocks.get(workerId);
    if (set === undefined) return 0;
    let n = 0;
    while (n < blockIds.length && set.has(blockIds[n] as string)) n++;
    return n;
  }

  /** Leading blocks held by every known worker (workers holding none are left out). */
  leadingBlocksByWorker(blockIds: readonly string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const workerId of this.blocks.keys()) {
      const n = this.leadingBlocks(workerId, blockIds);
      if (n > 0) out.set(workerId, n);
    }
    return out;
  }

  numBlocks(workerId: string): number {
    return this.blocks.get(workerId)?.size ?? 0;
  }

  /** Drops everything known about a worker (it restarted or was dropped from the registry). */
  forget(workerId: string): void {
    this.blocks.delete(workerId);
    this.capacityBlocks.delete(workerId);
  }

  private trim(workerId: string): void {
    const set = this.blocks.get(workerId);
    const cap = this.capacityBlocks.get(workerId);
    if (set === undefined || cap === undefined) return;
    for (const id of set.keys()) {
      if (set.size <= cap) break;
      set.delete(id);
    }
  }
}
