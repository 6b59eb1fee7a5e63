/**
 * Inter-token gaps one streamed chunk adds, per token — one rule for the router's histogram and the
 * replay client's records, so the two series compare: a chunk of k tokens arriving `gap` seconds after
 * the previous chunk contributes k gaps of gap ÷ k (tokens of one decode step share its time); the
 * first chunk (previous null) opens the series, its k − 1 extra tokens arriving with it (gap 0).
 */
export function chunkGaps(previousSeconds: number | null, atSeconds: number, numTokens: number): number[] {
  if (previousSeconds === null) return Array.from({ length: Math.max(0, numTokens - 1) }, () => 0);
  const gap = atSeconds - previousSeconds;
  return Array.from({ length: numTokens }, () => gap / numTokens);
}
