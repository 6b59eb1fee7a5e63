/** An arena extent a writer may fill (a kv.put.slot answer, or KvPutAck.next_slot). */
export interface SlotExtent {
  readonly segmentId: number;
  readonly offset: number;
  readonly length: number;
}

/** Most spare slots a writer keeps or has asked for at once (about the puts it keeps in flight). */
export const MAX_SPARE_SLOTS = 32;

/**
 * A shared-memory writer's spare arena slots: each put through the arena asks the pool, in its kv.put, for a
 * slot for the next put of the same size (KvPutRequest.next_slot_bytes), which comes back in the ack. A put
 * that finds a spare here writes at once and takes one round trip (kv.put → kv.put.ack) instead of two
 * (kv.put.alloc → kv.put.slot first).
 *
 * A spare is used only within half of the TTL the pool gave it, on this host's clock from when it was asked
 * for (the put was sent): the pool allocates it after that and reclaims it (and may hand its extent to another
 * writer) only a whole TTL after allocating, so a slot used here is still this connection's however late the
 * ack arrived. (Asks answered out of order are timed from the oldest ask still open: never later.) Older spares are dropped here; the
 * pool reclaims them at their TTL (or when the connection closes), so an idle writer holds arena room only
 * briefly; and when the last put in flight ends, the writer gives every spare back at once (kv.put.unslot). At
 * most MAX_SPARE_SLOTS are kept or asked for, so a burst cannot hold more than that.
 */
export class SpareSlots {
  private readonly bySize = new Map<number, { extent: SlotExtent; usableUntilMs: number }[]>();
  private held = 0;
  private heldLengths = 0;
  /** When each open ask was made, oldest first. */
  private readonly askedAtMs: number[] = [];
  private inFlight = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** A spare of exactly `numBytes` still safe to write, or undefined (stale ones are dropped on the way). */
  take(numBytes: number): SlotExtent | undefined {
    const list = this.bySize.get(numBytes);
    if (list === undefined) return undefined;
    const now = this.nowMs();
    while (list.length > 0) {
      const spare = list.pop() as { extent: SlotExtent; usableUntilMs: number };
      this.held--;
      this.heldLengths -= spare.extent.length;
      if (spare.usableUntilMs > now) return spare.extent;
      // Stale: whatever is older in this list is staler still.
      for (const s of list) this.heldLengths -= s.extent.length;
      this.held -= list.length;
      list.length = 0;
    }
    return undefined;
  }

  /** A put begins (counted until `finished`). */
  started(): void {
    this.inFlight++;
  }

  /** A put ended (acknowledged or not); true when none is left in flight and spares are kept. */
  finished(): boolean {
    this.inFlight = Math.max(0, this.inFlight - 1);
    return this.inFlight === 0 && this.held > 0;
  }

  /**
   * Every kept spare, to give back to the pool, when no put is in flight (nothing stays reserved while the
   * writer is idle); otherwise an empty list. Called a turn after `finished` said so, so that a writer whose
   * next put starts as soon as its last one ends (every put of a window ending at once) keeps them.
   */
  drainIfIdle(): SlotExtent[] {
    if (this.inFlight > 0 || this.held === 0) return [];
    const all = [...this.bySize.values()].flatMap((list) => list.map((s) => s.extent));
    this.bySize.clear();
    this.held = 0;
    this.heldLengths = 0;
    return all;
  }

  /**
   * Whether a put about to commit should ask for a spare (counted as asked until `received`): only while other
   * puts are in flight (a writer that puts one block at a time would only hand its spare back), and at most
   * MAX_SPARE_SLOTS kept or asked for.
   */
  ask(): boolean {
    if (this.inFlight < 2 || this.held + this.askedAtMs.length >= MAX_SPARE_SLOTS) return false;
    this.askedAtMs.push(this.nowMs());
    return true;
  }

  /** The answer to an `ask`: a spare slot for puts of `numBytes` (`ttlSeconds` as the pool said), or none. */
  received(numBytes: number, slot: { extent: SlotExtent; ttlSeconds: number } | undefined): void {
    const askedAtMs = this.askedAtMs.shift() ?? this.nowMs();
    if (slot === undefined || slot.extent.length < numBytes || !(slot.ttlSeconds > 0)) return;
    let list = this.bySize.get(numBytes);
    if (list === undefined) {
      list = [];
      this.bySize.set(numBytes, list);
    }
    list.push({ extent: slot.extent, usableUntilMs: askedAtMs + (slot.ttlSeconds * 1000) / 2 });
    this.held++;
    this.heldLengths += slot.extent.length;
  }

  /** Spares kept (fresh or not yet found stale). */
  get size(): number {
    return this.held;
  }

  /** Sum of the kept spares' extent lengths (payload bytes, as the slots were asked for). */
  get bytes(): number {
    return this.heldLengths;
  }
}
