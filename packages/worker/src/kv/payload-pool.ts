/**
 * Reusable, 4-byte-aligned byte buffers for KV payloads a worker holds for a while (kv.handoff frames
 * waiting for their Decode call), carved from one large slab. Received frames are views into
 * WebSocket messages; keeping those alive, or copying each into its own ArrayBuffer, made V8 run a
 * full mark-compact every ~16 MiB received (measured in the handoff benchmark with --trace-gc: ~8 per
 * 128 MiB, most of the decode worker's CPU; 8 slabs of 16 MiB behaved the same, one 256 MiB slab did
 * not: 3 in the whole run).
 *
 *   slab (one ArrayBuffer, allocated on first use; untouched pages cost no memory)
 *   ├─ chunk [class 256 KiB] → handed out as a view of the requested length
 *   ├─ chunk [class 256 KiB] → after release: on the free list of its class, handed out again
 *   └─ … bump-allocated until the slab is full
 *
 * Chunks come in power-of-two capacity classes (≥ 4 KiB, so 4 KiB-aligned). When the slab is full and
 * no chunk of the class is free, a plain buffer is returned and left to the garbage collector.
 *
 * An idle slab (every chunk back) is dropped only once it has stayed idle `trimAfterSeconds`: a fresh slab's
 * pages are zeroed by the kernel on first touch (one page fault per 4 KiB, measured in the handoff bench:
 * 256 faults per MiB received and ≈ 0.7 ns/B of the receiver's 1.2), so dropping it between two handoffs
 * made every handoff pay for new pages. Like an allocator's decay time (jemalloc's dirty_decay_ms), the
 * memory still returns after a burst, a few seconds later.
 */
export class PayloadPool {
  private readonly free = new Map<number, Uint8Array[]>();
  private slab: Uint8Array | undefined;
  private slabUsed = 0;
  private freeBytes = 0;
  /** When the slab was last seen with every chunk back (undefined: in use, or not yet seen idle). */
  private idleSinceSeconds: number | undefined;

  constructor(
    private readonly slabBytes = 256 * 1024 * 1024,
    private readonly trimAfterSeconds = 0,
  ) {}

  /** Free chunk bytes held for reuse. */
  get pooledBytes(): number {
    return this.freeBytes;
  }

  /** Slab bytes carved into chunks so far. */
  get carvedBytes(): number {
    return this.slabUsed;
  }

  /** A 4-byte-aligned buffer of exactly `numBytes`; contents undefined. Give it back with `release`. */
  acquire(numBytes: number): Uint8Array {
    const capacity = capacityClass(numBytes);
    this.idleSinceSeconds = undefined;
    let chunk = this.free.get(capacity)?.pop();
    if (chunk !== undefined) this.freeBytes -= capacity;
    else chunk = this.carve(capacity);
    return chunk === undefined ? new Uint8Array(numBytes) : chunk.subarray(0, numBytes);
  }

  /** A copy of `bytes` in a pooled buffer. */
  copy(bytes: Uint8Array): Uint8Array {
    const out = this.acquire(bytes.byteLength);
    out.set(bytes);
    return out;
  }

  /** Gives back a buffer from `acquire` (others are ignored); the caller must not use it afterwards. */
  release(buffer: Uint8Array): void {
    // A handed-out view starts at its chunk and its length names the chunk's class.
    const slab = this.slab;
    if (slab === undefined || buffer.buffer !== slab.buffer) return;
    const chunk = slab.subarray(buffer.byteOffset, buffer.byteOffset + capacityClass(buffer.byteLength));
    let list = this.free.get(chunk.byteLength);
    if (list === undefined) {
      list = [];
      this.free.set(chunk.byteLength, list);
    }
    list.push(chunk);
    this.freeBytes += chunk.byteLength;
  }

  /**
   * Drops the slab when every chunk carved from it is back (nothing handed out) and has been since
   * `trimAfterSeconds` before `nowSeconds` (the first call that finds it idle starts that wait), so its pages
   * return to the OS at the next collection instead of staying resident after a burst (a flood of handoffs,
   * expired). Returns whether it did.
   */
  trimIfIdle(nowSeconds = 0): boolean {
    if (this.slab === undefined || this.freeBytes !== this.slabUsed) {
      this.idleSinceSeconds = undefined;
      return false;
    }
    this.idleSinceSeconds ??= nowSeconds;
    if (nowSeconds - this.idleSinceSeconds < this.trimAfterSeconds) return false;
    this.idleSinceSeconds = undefined;
    this.slab = undefined;
    this.slabUsed = 0;
    this.freeBytes = 0;
    this.free.clear();
    return true;
  }

  private carve(capacity: number): Uint8Array | undefined {
    this.slab ??= new Uint8Array(this.slabBytes);
    if (this.slabUsed + capacity > this.slab.byteLength) return undefined;
    const chunk = this.slab.subarray(this.slabUsed, this.slabUsed + capacity);
    this.slabUsed += capacity;
    return chunk;
  }
}

/** Smallest power of two ≥ max(numBytes, 4096). */
function capacityClass(numBytes: number): number {
  let c = 4096;
  while (c < numBytes) c *= 2;
  return c;
}
