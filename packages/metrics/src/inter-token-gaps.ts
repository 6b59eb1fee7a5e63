/**
 * Inter-token gaps one streamed chunk adds, per token — one rule for the router's histogram and the
 * replay client's records, so the two series compare: a chunk of k tokens arriving `gap` seconds after
 * the previous chunk contributes k gaps of gap ÷ k (tokens of one decode step share its time); the
 * first chunk (previous null) opens the series, its k − 1 extra tokens arriving with it (gap 0).
 */
export function chunkGaps(previousSeconds: number | null, atSeconds: number, numTokens: number): number[] {
  const gaps: number[] = [];
  appendChunkGaps(gaps, previousSeconds, atSeconds, numTokens);
  return gaps;
}

/**
 * chunkGaps appended to `into` (the same values in the same order), with no array per chunk: the replay
 * client's record builder adds one chunk per token in the cluster twin.
 */
export function appendChunkGaps(
  into: number[],
  previousSeconds: number | null,
  atSeconds: number,
  numTokens: number,
): void {
  // What `new Array(n)` refused before this appended in place: NaN would add nothing, ∞ would never end.
  if (!(numTokens < 2 ** 32)) {
    throw new RangeError(`chunkGaps: numTokens must be a finite count below 2^32, got ${numTokens}`);
  }
  if (previousSeconds === null) {
    const n = Math.max(0, Math.floor(numTokens - 1));
    for (let i = 0; i < n; i++) into.push(0);
    return;
  }
  const share = (atSeconds - previousSeconds) / numTokens;
  const n = Math.max(0, Math.floor(numTokens));
  for (let i = 0; i < n; i++) into.push(share);
}
