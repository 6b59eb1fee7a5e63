// The context limit a request without `max_tokens` runs up to (as vLLM's default max_tokens =
// max_model_len − prompt): the longest sequence, prompt + output tokens, that some decode-capable worker
// can hold: its stated `maxContextTokens` (0 = not stated), capped by its KV capacity in tokens, since the
// router's admission refuses a request whose prompt + max_tokens KV exceeds every decode worker's capacity.

export interface DecodeCapacity {
  readonly role: 'prefill' | 'decode' | 'both';
  /** 0 = no limit stated. */
  readonly maxContextTokens: number;
  readonly kvCapacityBytes: number;
}

/** The longest sequence any decode-capable worker holds; undefined when none is registered. */
export function longestSequenceTokens(workers: readonly DecodeCapacity[], kvBytesPerToken: number): number | undefined {
  let longest: number | undefined;
  for (const w of workers) {
    if (w.role === 'prefill') continue;
    const byKv = kvBytesPerToken > 0 ? Math.floor(w.kvCapacityBytes / kvBytesPerToken) : Number.POSITIVE_INFINITY;
    const tokens = w.maxContextTokens > 0 ? Math.min(w.maxContextTokens, byKv) : byKv;
    if (Number.isFinite(tokens)) longest = Math.max(longest ?? 0, tokens);
  }
  return longest;
}

/**
 * `max_tokens` as sent, or up to the context limit: `longest − prompt`, at least 1 (a prompt that leaves no
 * room is then refused by admission naming the prompt). With no decode worker known, 1: admission answers
 * "no decode worker" before it matters.
 */
export function resolveMaxTokens(
  requested: number | undefined,
  numPromptTokens: number,
  longest: number | undefined,
): number {
  if (requested !== undefined) return requested;
  if (longest === undefined) return 1;
  return Math.max(1, longest - numPromptTokens);
}
