// How much of a prompt's cached KV a worker may reuse instead of computing. One rule for the router (what it
// plans and leases) and the workers (what they fetch or take from their own cache).

/**
 * Leading full blocks of a prompt of `numPromptTokens` that may come from a cache. With local prefill the
 * last prompt token is always computed (its logits give the first output token): ⌊(P − 1) / B⌋. When a
 * prefill worker hands over the last `numHandoffTokens` (H > 0), cached blocks are useful only up to where
 * the handoff starts: ⌊(P − H) / B⌋. Never negative.
 */
export function reusablePrefixBlocks(numPromptTokens: number, blockTokens: number, numHandoffTokens = 0): number {
  const reusableTokens = numHandoffTokens > 0 ? numPromptTokens - numHandoffTokens : numPromptTokens - 1;
  return Math.max(0, Math.floor(reusableTokens / blockTokens));
}
