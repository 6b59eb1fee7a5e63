/**
 * Trace-wide block ids for kv-cache-tester conversations. Their `hash_ids` are small integers assigned
 * per build run: with `hash_id_scope: "local"` (and in files without the field) per conversation, so
 * id 7 in two conversations names different text; with `"global"` one numbering spans every
 * conversation of the run. Each id is renamed to a fresh trace-wide integer through the map of its
 * scope, so local ids of different conversations never meet and global ids keep meeting.
 *
 *   conversation A (local): 1 2 3   → 0 1 2
 *   conversation B (local): 1 2 9   → 3 4 5      (B's 1 is not A's 1)
 *   conversation C (global): 1 2    → 6 7
 *   conversation D (global): 1 5    → 6 8        (shares C's first block)
 */
export class WekaBlockIds {
  private next = 0;
  private readonly global = new Map<number | string, number>();
  private local = new Map<number | string, number>();

  /** Starts a conversation: its local ids (and partial-block keys) get a fresh namespace. */
  beginConversation(): void {
    this.local = new Map();
  }

  /** The trace-wide id of a `hash_ids` entry of the current conversation. */
  full(id: number, scope: 'local' | 'global'): number {
    return this.take(scope === 'global' ? this.global : this.local, id);
  }

  /**
   * The id of a prompt's partial last block, which kv-cache-tester does not hash (full blocks only).
   * It is keyed by the conversation, the last full block and the tail length: two requests of one
   * conversation with the same full blocks and the same length (a streaming/non-streaming pair) share
   * it; nothing else does.
   */
  partial(lastFull: number | undefined, tailTokens: number): number {
    return this.take(this.local, `partial:${lastFull ?? 'root'}:${tailTokens}`);
  }

  private take(map: Map<number | string, number>, key: number | string): number {
    let id = map.get(key);
    if (id === undefined) {
      id = this.next++;
      map.set(key, id);
    }
    return id;
  }
}
