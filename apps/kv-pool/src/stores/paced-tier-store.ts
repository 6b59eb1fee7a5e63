import type { GetResult, PutOptions, PutResult, StoredBlockInfo, TierStore, TierStoreStats } from '@oicf/kv';
import type { Clock } from '@oicf/transport';
import { type LinkModel, LinkPacer } from './link-pacer.js';

/**
 * An emulated far-memory tier (cxl, optical-pool): real bytes in an inner store (memory), with
 * every put and every hit paced to the tier's link model. Reads and writes use separate
 * pacers, like the two directions of a full-duplex link. Misses are not paced.
 */
export class PacedTierStore implements TierStore {
  readonly readPacer: LinkPacer;
  readonly writePacer: LinkPacer;

  constructor(
    private readonly inner: TierStore,
    readonly link: LinkModel,
    private readonly clock: Clock,
  ) {
    this.readPacer = new LinkPacer(link, clock);
    this.writePacer = new LinkPacer(link, clock);
  }

  get name(): string {
    return this.inner.name;
  }

  /** Whether the bytes live only in this process's memory: as the inner store's (holdsBytesPrivately). */
  get privateMemory(): boolean {
    return (this.inner as { privateMemory?: unknown }).privateMemory === true;
  }

  get capacityBytes(): number {
    return this.inner.capacityBytes;
  }

  async put(blockId: string, bytes: Uint8Array, options?: PutOptions): Promise<PutResult> {
    const started = this.clock.nowSeconds();
    const result = await this.inner.put(blockId, bytes, options);
    if (result.ok) await this.writePacer.finish(started, bytes.length);
    return result;
  }

  async get(blockId: string): Promise<GetResult> {
    const started = this.clock.nowSeconds();
    const result = await this.inner.get(blockId);
    if (result.kind === 'hit') await this.readPacer.finish(started, result.bytes.length);
    return result;
  }

  has(blockId: string): Promise<boolean> {
    return this.inner.has(blockId);
  }

  delete(blockId: string): Promise<boolean> {
    return this.inner.delete(blockId);
  }

  list(): Promise<StoredBlockInfo[]> {
    return this.inner.list();
  }

  stats(): Promise<TierStoreStats> {
    return this.inner.stats();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
