/**
 * Block ids for one session's growing context. The session's prompt at turn k is the first
 * L_k tokens of an append-only token stream (previous prompt + previous output + new tokens), so a
 * full block, once written, never changes: it keeps its id in every later turn (prefix reuse).
 * The partial last block of a prompt gets a fresh id each turn, since its content is not yet the
 * content of the full block it will become.
 *
 *   turn 0  |sys0|sys1|s0  |s1 ▌            ids: 0 1 7 8 9      (9: partial)
 *   turn 1  |sys0|sys1|s0  |s1  |s2  |s3▌   ids: 0 1 7 8 10 11 12
 *
 * The first floor(sharedPrefixTokens / blockTokens) blocks are the workflow's system prompt,
 * shared by every session. When the agent drops tokens from the front of its context the stream
 * restarts: nothing earlier (not even the system prompt) is a prefix of it any more.
 */
export class BlockIdAllocator {
  private nextId = 0;
  allocate(): number {
    return this.nextId++;
  }
}

export class SessionBlocks {
  private fullIds: number[] = [];
  private sharedIds: readonly number[];

  constructor(
    private readonly allocator: BlockIdAllocator,
    sharedIds: readonly number[],
    private readonly blockTokens: number,
  ) {
    this.sharedIds = sharedIds;
  }

  /** Ids for a prompt made of the first `inputTokens` tokens of the current stream. */
  idsFor(inputTokens: number): number[] {
    const numFull = Math.floor(inputTokens / this.blockTokens);
    while (this.fullIds.length < numFull) {
      const position = this.fullIds.length;
      const shared = this.sharedIds[position];
      this.fullIds.push(shared ?? this.allocator.allocate());
    }
    const ids = this.fullIds.slice(0, numFull);
    if (inputTokens % this.blockTokens !== 0) ids.push(this.allocator.allocate());
    return ids;
  }

  /** Tokens were dropped from the front: later prompts share no block with earlier ones. */
  restart(): void {
    this.fullIds = [];
    this.sharedIds = [];
  }
}
