/**
 * First-fit allocation of byte extents inside one shared-memory segment (the kv-pool's arena, a worker's
 * staging segment). Pure: offsets only, no file. Every extent starts and ends on `alignBytes` (a page, so
 * reads and writes of a block touch only its own pages).
 *
 *   [base ............................................................ base + capacity)
 *   |used A|  free  |used B|used C|        free (one extent: frees coalesce)            |
 *
 * Free extents are kept sorted by offset and merged with their neighbours on free, so a freed region is
 * reused by the next allocation that fits and the segment's touched pages stay near the high-water mark of
 * what is live. An allocation takes the lowest free extent that fits (first fit: cheap, and it packs live
 * extents toward the start). A miss is a value (undefined), never an exception.
 */
export interface Extent {
  readonly offset: number;
  readonly length: number;
}

export class ExtentAllocator {
  /** Free extents, sorted by offset, never adjacent (always coalesced). */
  private readonly free: Extent[];
  private used = 0;

  constructor(
    readonly baseOffset: number,
    readonly capacityBytes: number,
    readonly alignBytes = 4096,
  ) {
    if (!Number.isInteger(alignBytes) || alignBytes < 1) throw new RangeError(`alignBytes ${alignBytes}: want ≥ 1`);
    if (baseOffset % alignBytes !== 0) throw new RangeError(`baseOffset ${baseOffset} is not ${alignBytes}-aligned`);
    const usable = capacityBytes - (capacityBytes % alignBytes);
    this.free = usable > 0 ? [{ offset: baseOffset, length: usable }] : [];
  }

  /** Bytes handed out and not freed (rounded up to the alignment). */
  get usedBytes(): number {
    return this.used;
  }

  /** Number of free extents (fragmentation). */
  get numFreeExtents(): number {
    return this.free.length;
  }

  /** Rounded size an allocation of `numBytes` occupies. */
  sizeOf(numBytes: number): number {
    return Math.max(this.alignBytes, Math.ceil(numBytes / this.alignBytes) * this.alignBytes);
  }

  /** The lowest free extent of at least `numBytes` (rounded up), or undefined when none fits. */
  allocate(numBytes: number): Extent | undefined {
    if (!Number.isInteger(numBytes) || numBytes < 0) throw new RangeError(`allocate(${numBytes}): want bytes ≥ 0`);
    const size = this.sizeOf(numBytes);
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i] as Extent;
      if (f.length < size) continue;
      if (f.length === size) this.free.splice(i, 1);
      else this.free[i] = { offset: f.offset + size, length: f.length - size };
      this.used += size;
      return { offset: f.offset, length: size };
    }
    return undefined;
  }

  /** Returns an extent from `allocate`. Freeing what was not allocated (or twice) is a broken invariant. */
  release(extent: Extent): void {
    const { offset, length } = extent;
    // Index of the first free extent after `offset` (binary search).
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.free[mid] as Extent).offset < offset) lo = mid + 1;
      else hi = mid;
    }
    const before = this.free[lo - 1];
    const after = this.free[lo];
    if (
      (before !== undefined && before.offset + before.length > offset) ||
      (after !== undefined && offset + length > after.offset) ||
      offset < this.baseOffset ||
      length % this.alignBytes !== 0
    ) {
      throw new Error(`extent [${offset}, ${offset + length}) overlaps free space: freed twice or never allocated`);
    }
    this.used -= length;
    const joinsBefore = before !== undefined && before.offset + before.length === offset;
    const joinsAfter = after !== undefined && offset + length === after.offset;
    if (joinsBefore && joinsAfter) {
      this.free.splice(lo - 1, 2, { offset: before.offset, length: before.length + length + after.length });
    } else if (joinsBefore) {
      this.free[lo - 1] = { offset: before.offset, length: before.length + length };
    } else if (joinsAfter) {
      this.free[lo] = { offset, length: length + after.length };
    } else {
      this.free.splice(lo, 0, { offset, length });
    }
  }
}
