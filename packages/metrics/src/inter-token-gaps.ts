/**
 * Inter-token gaps one streamed chunk adds, per token — one rule for the router's histogram and the
 * replay client's records, so the two series compare: a chunk of k tokens arriving `gap` seconds after
 * the previous chunk contributes k gaps of gap ÷ k (tokens of one decode step share its time); the
 * first chunk (previous null) opens the series, its k − 1 extra tokens arriving with it (gap 0).
 */
export function chunkGaps(previousSeconds: number | null, atSeconds: number, numTokens: number): number[] {
  // Plain loops, not Array.from: this runs once per streamed chunk (per token in the cluster twin), where
  // Array.from's iterator protocol costs ~1 µs.
  if (previousSeconds === null) {
    const zeros = new Array<number>(Math.max(0, Math.floor(numTokens - 1)));
    for (let i = 0; i < zeros.length; i++) zeros[i] = 0;
    return zeros;
  }
  const share = (atSeconds - previousSeconds) / numTokens;
  const gaps = new Array<number>(Math.max(0, Math.floor(numTokens)));
  for (let i = 0; i < gaps.length; i++) gaps[i] = share;
  return gaps;
}
