// Log-probabilities of sampled tokens, for OpenAI's `logprobs` / `top_logprobs` (and completions'
// `logprobs: k`). Semantics follow vLLM's default (`--logprobs-mode raw_logprobs`): the natural-log
// softmax of the model's raw logits at the position, before temperature, top-k and top-p, so a token's
// logprob does not depend on how it was sampled. Computed in float64 with the log-sum-exp trick:
//
//   logprob(i) = logits[i] − (m + ln Σ_j exp(logits[j] − m)),   m = max_j logits[j]

/** OpenAI's upper bound on `top_logprobs` (vLLM's default `max_logprobs` is 20 as well). */
export const MAX_TOP_LOGPROBS = 20;

export interface TopLogprob {
  readonly tokenId: number;
  readonly logprob: number;
}

export interface TokenLogprob {
  /** The sampled token and its log-probability (≤ 0). */
  readonly tokenId: number;
  readonly logprob: number;
  /** The `numTop` most likely tokens of the position, descending; ties: lower id first. */
  readonly topLogprobs: TopLogprob[];
}

/** ln Σ exp(logits): the normaliser of log-softmax. */
export function logSumExp(logits: ArrayLike<number>): number {
  if (logits.length === 0) throw new RangeError('log-softmax of an empty logits row');
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i] as number);
  if (m === Number.NEGATIVE_INFINITY) return m;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - m);
  return m + Math.log(sum);
}

/** Ids of the k largest logits, descending (ties: lower id first); k ≤ logits.length. */
export function topIds(logits: ArrayLike<number>, k: number): number[] {
  const top: number[] = [];
  if (k <= 0) return top;
  for (let id = 0; id < logits.length; id++) {
    const v = logits[id] as number;
    if (top.length === k && v <= (logits[top[k - 1] as number] as number)) continue;
    // Insertion keeps `top` sorted; a later id equal to an earlier one goes after it (stable).
    let at = top.length;
    while (at > 0 && (logits[top[at - 1] as number] as number) < v) at--;
    top.splice(at, 0, id);
    if (top.length > k) top.pop();
  }
  return top;
}

/**
 * The log-probability of `tokenId` in one row of raw logits, and the `numTop` most likely tokens
 * (0 ≤ numTop ≤ MAX_TOP_LOGPROBS). Throws RangeError for an id outside the row or numTop out of range.
 */
export function tokenLogprob(logits: ArrayLike<number>, tokenId: number, numTop = 0): TokenLogprob {
  if (!Number.isInteger(tokenId) || tokenId < 0 || tokenId >= logits.length) {
    throw new RangeError(`token id ${tokenId} is outside the logits row [0, ${logits.length})`);
  }
  if (!Number.isInteger(numTop) || numTop < 0 || numTop > MAX_TOP_LOGPROBS) {
    throw new RangeError(`numTop must be an integer in [0, ${MAX_TOP_LOGPROBS}], got ${numTop}`);
  }
  const lse = logSumExp(logits);
  const lp = (id: number) => (logits[id] as number) - lse;
  return {
    tokenId,
    logprob: lp(tokenId),
    topLogprobs: topIds(logits, Math.min(numTop, logits.length)).map((id) => ({ tokenId: id, logprob: lp(id) })),
  };
}
