import {
  type BlockMeta,
  blockChecksum,
  decodeBlockRecordHeader,
  encodeBlockRecordHeader,
  type GetResult,
  type PutOptions,
  type PutResult,
  requireBlockId,
  type StoredBlockInfo,
  type TierStore,
  type TierStoreStats,
} from '@oicf/kv';
import {
  type Extent,
  ExtentAllocator,
  OwnedSegment,
  SEGMENT_HEADER_BYTES,
  type SegmentDescriptor,
  shmMapsByDefault,
} from '@oicf/pool-client';
import { type PrefaultProgress, prefaultArena } from './prefault-arena.js';

/**
 * The pool's dram tier in shared memory: block payloads live in extents of one arena segment (an unlinked
 * /dev/shm file, see @oicf/pool-client shm-segment.ts), so a same-host reader copies a block straight out
 * of it and a same-host writer copies straight into it. Everything else stays in this process's memory.
 *
 *   arena file:  [header page][ block A ][ slot (being written by a client) ][ free ][ block B ] … [free]
 *   this process: index  blockId → { extent, 64-byte OKVB record header (id, length, XXH32, meta), readers }
 *                 slots  extents handed to writers, not yet committed (a put adopts one, a close frees them)
 *
 * Capacity counts committed payload bytes, as for every TierStore; the arena file is larger by
 * `stagingBytes`, the room for slots being written and for evicted blocks whose bytes readers still hold.
 *
 * Readers: `retain` pins a block's extent for a reader who copies from it (a kv.get answered with extents).
 * Deleting a retained block (eviction, demotion, replacement) removes it from the index at once, but its
 * extent is freed only when the last reader lets go, so bytes a reader holds a lease on are never reused.
 *
 * Like TrustedMemoryTierStore, a read checks the record header but does not re-hash the payload; every
 * receiver verifies the XXH32 carried with it (a payload scribbled on in shared memory is a counted miss
 * at the reader, never used). Crash: the arena dies with this process (its memory returns to the kernel
 * once the last reader's descriptor closes); a restarted pool starts with an empty dram tier, as before.
 */
interface Entry {
  readonly extent: Extent;
  readonly header: Uint8Array;
  readonly numBytes: number;
  /** Readers holding the extent (retain − release). */
  readers: number;
  /** Deleted while retained: free the extent when readers reach 0. */
  dead: boolean;
}

/** A block's bytes as a reader sees them: where, how many, and the checksum recorded on receipt. */
export interface LocatedBlock {
  readonly segmentId: number;
  readonly offset: number;
  readonly numBytes: number;
  readonly checksum: number;
  /** Lets go of the extent (idempotent). */
  readonly release: () => void;
}

export interface ShmArenaOptions {
  readonly name: string;
  readonly capacityBytes: number;
  readonly dir: string;
  /** Arena bytes beyond capacity: slots being written, evicted blocks still being read. */
  readonly stagingBytes: number;
  /**
   * With a mapped arena, map and allocate all of its pages at open (OwnedSegment.prefault), as a pool at capacity has
   * them: no put or check then pays a page's allocation. Costs the arena's memory from the start. Default false.
   */
  readonly prefault?: boolean;
  /**
   * Progress of a prefault that maps pages (a mapped arena: OICF_SHM_NATIVE=1), for the pool's logger: one line
   * before ("prefaulting N MiB of the arena…") and one after with the seconds it took.
   */
  readonly onProgress?: PrefaultProgress;
  /** Map the arena: default its use's default (OICF_SHM_NATIVE=1, shmMapsByDefault('arena')); tests pass true. */
  readonly map?: boolean;
}

export class ShmArenaTierStore implements TierStore {
  readonly name: string;
  readonly capacityBytes: number;
  private readonly index = new Map<string, Entry>();
  private readonly alloc: ExtentAllocator;
  private usedBytes = 0;
  private slotBytes = 0;
  private numChecksumFailures = 0;
  /** Aligned buffer reused to hash a slot's bytes (grown to the largest block). */
  private scratch = new Uint8Array(0);

  private constructor(
    private readonly options: ShmArenaOptions,
    readonly segment: OwnedSegment,
  ) {
    this.name = options.name;
    this.capacityBytes = options.capacityBytes;
    this.alloc = new ExtentAllocator(SEGMENT_HEADER_BYTES, segment.sizeBytes - SEGMENT_HEADER_BYTES);
  }

  /** Creates the arena; throws UNAVAILABLE when the directory cannot hold it (no /dev/shm). */
  static open(options: ShmArenaOptions): ShmArenaTierStore {
    const page = 4096;
    const dataBytes = Math.ceil((options.capacityBytes + options.stagingBytes) / page) * page;
    const segment = OwnedSegment.create(options.dir, dataBytes, 'arena', {
      map: options.map ?? shmMapsByDefault('arena'),
    });
    const store = new ShmArenaTierStore(options, segment);
    if (options.prefault === true) store.prefaultedBytes = prefaultArena(segment, options.onProgress);
    return store;
  }

  /** Arena bytes whose pages were mapped at open (`prefault`; 0 without a mapping or when not asked). */
  prefaultedBytes = 0;

  /** What same-host peers open (announced in kv.hello.ack). */
  descriptor(): SegmentDescriptor {
    return this.segment.descriptor();
  }

  /** Bytes of slots handed out and not yet committed or discarded. */
  get pendingSlotBytes(): number {
    return this.slotBytes;
  }

  /** Arena bytes in use: committed blocks, slots, and evicted blocks readers still hold (page-rounded). */
  get arenaUsedBytes(): number {
    return this.alloc.usedBytes;
  }

  /** Number of block extents pinned by readers. */
  get numRetained(): number {
    let n = 0;
    for (const e of this.index.values()) n += e.readers > 0 ? 1 : 0;
    return n + this.numDeadRetained;
  }
  private numDeadRetained = 0;

  /** An extent for a writer to fill; undefined when staging room is used up (write inline instead). */
  allocateSlot(numBytes: number): Extent | undefined {
    if (this.slotBytes + numBytes > this.options.stagingBytes) return undefined;
    const extent = this.alloc.allocate(numBytes);
    if (extent !== undefined) this.slotBytes += extent.length;
    return extent;
  }

  /** Gives back a slot that was not adopted. */
  discardSlot(extent: Extent): void {
    this.slotBytes -= extent.length;
    this.alloc.release(extent);
  }

  /**
   * XXH32 of the first `numBytes` of a slot, read now: in place when the arena is mapped, under the addon's SIGBUS
   * guard (a client that truncated the arena gets this call a RangeError, not the pool a SIGBUS), else in one copy
   * into a reused aligned buffer.
   */
  slotChecksum(extent: Extent, numBytes: number): number {
    return (
      this.slotXxh32InPlace(extent, numBytes) ?? blockChecksum(this.readSlot(extent, numBytes, { inPlace: false }))
    );
  }

  /**
   * XXH32 of the first `numBytes` of a slot read in place under the SIGBUS guard (see `slotChecksum`: RangeError when
   * the arena shrank); undefined when the arena is not mapped or the pages cannot be mapped: hash a copy.
   */
  slotXxh32InPlace(extent: Extent, numBytes: number): number | undefined {
    if (extent.length < numBytes) throw new RangeError(`slot of ${extent.length} bytes read as ${numBytes}`);
    return this.segment.xxh32InPlace(extent.offset, numBytes);
  }

  /**
   * The first `numBytes` of a slot as read now, for every check of a put (XXH32, the keyed digest, the size), valid
   * until the next call and only until the caller's next await: in place in the arena when it is mapped (no copy;
   * the checks run on the bytes the slot holds, which the writer could still change, as it could right after a
   * copy: every reader verifies what it copies out), else one copy in a reused aligned buffer. `inPlace: false`
   * forces the copy: for more than one pass over the bytes (the keyed digest, then XXH32), which must all see the
   * same bytes, and in place a writer could change them between the passes. In place is read unguarded (a client
   * that truncates the arena would end the pool with SIGBUS): the put path hashes in place with `slotXxh32InPlace`.
   */
  readSlot(extent: Extent, numBytes: number, options: { inPlace?: boolean } = {}): Uint8Array {
    if (extent.length < numBytes) throw new RangeError(`slot of ${extent.length} bytes read as ${numBytes}`);
    const inPlace = options.inPlace === false ? undefined : this.segment.view(extent.offset, numBytes);
    if (inPlace !== undefined) return inPlace;
    if (this.scratch.byteLength < numBytes) this.scratch = new Uint8Array(numBytes);
    const view = this.scratch.subarray(0, numBytes);
    this.segment.read(view, extent.offset);
    return view;
  }

  /** A copy of a slot's first `numBytes` (for a block placed in another tier). */
  copySlot(extent: Extent, numBytes: number): Uint8Array {
    const out = Buffer.allocUnsafe(numBytes);
    this.segment.read(out, extent.offset);
    return out;
  }

  /**
   * Makes a written slot the stored block (no copy). On success the slot is no longer the caller's; on a
   * capacity refusal it still is (discard it).
   */
  adoptSlot(blockId: string, extent: Extent, numBytes: number, checksum: number, meta?: BlockMeta): PutResult {
    requireBlockId(blockId, 'blockId');
    const refused = this.refuse(blockId, numBytes);
    if (refused !== undefined) return refused;
    this.slotBytes -= extent.length;
    this.install(blockId, extent, numBytes, checksum, meta);
    return { ok: true };
  }

  async put(blockId: string, bytes: Uint8Array, options: PutOptions = {}): Promise<PutResult> {
    requireBlockId(blockId, 'blockId');
    const refused = this.refuse(blockId, bytes.length);
    if (refused !== undefined) return refused;
    const extent = this.alloc.allocate(bytes.length);
    if (extent === undefined) {
      return {
        ok: false,
        reason: 'capacity',
        message: `tier '${this.name}': no free arena extent of ${bytes.length} bytes (staging and evicted-but-read blocks take the rest)`,
      };
    }
    try {
      this.segment.write(bytes, extent.offset);
    } catch (err) {
      // ENOSPC: the tmpfs under the arena filled up (other segments share it); a refusal, not a crash.
      this.alloc.release(extent);
      return { ok: false, reason: 'capacity', message: `tier '${this.name}': arena write failed: ${String(err)}` };
    }
    this.install(blockId, extent, bytes.length, options.knownChecksum ?? blockChecksum(bytes), options.meta);
    return { ok: true };
  }

  async get(blockId: string): Promise<GetResult> {
    requireBlockId(blockId, 'blockId');
    const entry = this.checked(blockId);
    if (entry === undefined)
      return this.index.has(blockId) ? this.corrupt(blockId) : { kind: 'miss', reason: 'absent' };
    const bytes = Buffer.allocUnsafe(entry.numBytes);
    this.segment.read(bytes, entry.extent.offset);
    return { kind: 'hit', bytes, checksum: headerChecksum(entry.header) };
  }

  /** Pins a block's extent for a reader; undefined when absent (or its header fails its check: dropped). */
  retain(blockId: string): LocatedBlock | undefined {
    const entry = this.checked(blockId);
    if (entry === undefined) {
      if (this.index.has(blockId)) void this.corrupt(blockId);
      return undefined;
    }
    entry.readers++;
    let released = false;
    return {
      segmentId: this.segment.segmentId,
      offset: entry.extent.offset,
      numBytes: entry.numBytes,
      checksum: headerChecksum(entry.header),
      release: () => {
        if (released) return;
        released = true;
        entry.readers--;
        if (entry.dead && entry.readers === 0) {
          this.numDeadRetained--;
          this.alloc.release(entry.extent);
        }
      },
    };
  }

  async has(blockId: string): Promise<boolean> {
    requireBlockId(blockId, 'blockId');
    return this.index.has(blockId);
  }

  async delete(blockId: string): Promise<boolean> {
    requireBlockId(blockId, 'blockId');
    return this.remove(blockId);
  }

  async list(): Promise<StoredBlockInfo[]> {
    const out: StoredBlockInfo[] = [];
    for (const [blockId, entry] of this.index) {
      const header = decodeBlockRecordHeader(entry.header);
      if (typeof header !== 'string') out.push({ blockId, numBytes: entry.numBytes, meta: header.meta });
    }
    return out;
  }

  async stats(): Promise<TierStoreStats> {
    return {
      numBlocks: this.index.size,
      usedBytes: this.usedBytes,
      capacityBytes: this.capacityBytes,
      numChecksumFailures: this.numChecksumFailures,
    };
  }

  async close(): Promise<void> {
    this.index.clear();
    this.usedBytes = 0;
    this.segment.close();
  }

  /** Test hook: writes `bytes` into a stored block's payload at `at` (simulates a stray write in the arena). */
  scribble(blockId: string, at: number, bytes: Uint8Array): void {
    const entry = this.index.get(blockId);
    if (entry !== undefined) this.segment.write(bytes, entry.extent.offset + at);
  }

  /** Test hook: block `blockId`'s record (header and bytes) becomes a copy of `otherId`'s. */
  substitute(blockId: string, otherId: string): void {
    const a = this.index.get(blockId);
    const b = this.index.get(otherId);
    if (a === undefined || b === undefined || a.extent.length < b.numBytes) throw new Error('cannot substitute');
    const bytes = Buffer.allocUnsafe(b.numBytes);
    this.segment.read(bytes, b.extent.offset);
    this.segment.write(bytes, a.extent.offset);
    this.index.set(blockId, { ...a, header: b.header, numBytes: b.numBytes });
  }

  private refuse(blockId: string, numBytes: number): PutResult | undefined {
    const previous = this.index.get(blockId)?.numBytes ?? 0;
    const free = this.capacityBytes - (this.usedBytes - previous);
    if (numBytes <= free) return undefined;
    return {
      ok: false,
      reason: 'capacity',
      message: `tier '${this.name}' has ${free} of ${this.capacityBytes} bytes free; block ${blockId} needs ${numBytes}`,
    };
  }

  private install(blockId: string, extent: Extent, numBytes: number, checksum: number, meta?: BlockMeta): void {
    this.remove(blockId);
    const header = encodeBlockRecordHeader(blockId, numBytes, checksum, meta);
    this.index.set(blockId, { extent, header, numBytes, readers: 0, dead: false });
    this.usedBytes += numBytes;
  }

  /** The entry when its header is sound and belongs to `blockId`. */
  private checked(blockId: string): Entry | undefined {
    const entry = this.index.get(blockId);
    if (entry === undefined) return undefined;
    const h = decodeBlockRecordHeader(entry.header);
    if (typeof h === 'string' || h.blockId !== blockId || h.numPayloadBytes !== entry.numBytes) return undefined;
    return entry;
  }

  private corrupt(blockId: string): GetResult {
    this.numChecksumFailures++;
    this.remove(blockId);
    return { kind: 'miss', reason: 'corrupt' };
  }

  private remove(blockId: string): boolean {
    const entry = this.index.get(blockId);
    if (entry === undefined) return false;
    this.index.delete(blockId);
    this.usedBytes -= entry.numBytes;
    if (entry.readers > 0) {
      entry.dead = true;
      this.numDeadRetained++;
    } else this.alloc.release(entry.extent);
    return true;
  }
}

function headerChecksum(header: Uint8Array): number {
  return new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(56, true);
}

/** Type guard: the tier store is a shared-memory arena. */
export function isArenaStore(store: TierStore): store is ShmArenaTierStore {
  return store instanceof ShmArenaTierStore;
}
