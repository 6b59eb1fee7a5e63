import { TraceError } from '../trace-error.js';
import { sortByArrival } from '../transform/window.js';
import type { TraceRequest } from '../types.js';

/**
 * The infinite-cache reuse ceiling at cache block granularity b (docs/traces.md §5):
 *
 *   ceiling(b) = Σ served(r) ÷ Σ P(r)
 *
 * over the requests r in arrival order (ties in input order), where P(r) is r's prompt tokens and
 * served(r) = h(r) · b tokens, h(r) the number of leading b-token blocks of r's prompt that an
 * unlimited prefix cache already holds, with at most ⌊(P(r) − 1) / b⌋ of them: at least one prompt
 * token is computed (its logits give the first output token), the rule of the router's
 * `usablePoolBlocks` and the decode worker's `gatherKv`. After each request, all ⌊P(r) / b⌋ full
 * blocks of its prompt are in the cache; a partial last block is never cached.
 *
 * A cache block is identified by the prefix it ends: the trace block id holding its last token and
 * that token's offset in the trace block. Trace ids are prefix-chained and a replay turns each id into
 * fixed tokens (`promptTokenIds`, packages/loadgen/src/prompt-tokens.ts), so two prompts share a
 * b-token block exactly when these agree. With b larger than the trace's blocks, a cache block only hits when every token of it is
 * shared; with b smaller, sharing inside a trace block is not seen (the trace cannot tell).
 *
 *   trace blocks of 10 tokens:  |  A  |  B  |  C  |        cache b = 4: blocks end at tokens 3, 7, 11, ...
 *   cache block 0 ends at token 3 → (A, 3); block 2 ends at 11 → (B, 1): it hits only if A and B are shared.
 */
export interface ReuseCeiling {
  /** Cache block granularity b in tokens. */
  readonly blockTokens: number;
  /** Tokens per trace block of the requests (after any scaling). */
  readonly traceBlockTokens: number;
  /** Σ P: prompt tokens sent. */
  readonly numPromptTokens: number;
  /** Σ h · b: prompt tokens an unlimited prefix cache could serve. */
  readonly numServedTokens: number;
  /** numServedTokens ÷ numPromptTokens (0 for no tokens). */
  readonly ratio: number;
}

export type ReuseCeilingResult =
  | ({ readonly available: true } & ReuseCeiling)
  | { readonly available: false; readonly reason: string };

/** Largest id·B + offset kept as a number (exact in a double); larger ids are keyed by text. */
const MAX_NUMERIC_ID = Number.MAX_SAFE_INTEGER - (1 << 30);

/** Throws TraceError ('invalid-argument') for a blockTokens that is not an integer ≥ 1. */
export function computeReuseCeiling(requests: readonly TraceRequest[], blockTokens: number): ReuseCeilingResult {
  if (!(Number.isSafeInteger(blockTokens) && blockTokens >= 1)) {
    throw new TraceError('invalid-argument', `blockTokens must be an integer ≥ 1, got ${blockTokens}`);
  }
  if (requests.length === 0) return { available: false, reason: 'no requests' };
  const traceBlockTokens = requests[0]?.blockTokens;
  for (const r of requests) {
    if (r.blockHashes === undefined || r.blockTokens === undefined)
      return { available: false, reason: 'no prefix information' };
    if (r.blockTokens !== traceBlockTokens) {
      return { available: false, reason: `mixed block sizes (${traceBlockTokens} and ${r.blockTokens} tokens)` };
    }
  }
  const B = traceBlockTokens as number;
  const b = blockTokens;
  const cached = new Set<number | string>();
  let numPromptTokens = 0;
  let numServedTokens = 0;
  for (const r of sortByArrival(requests)) {
    const ids = r.blockHashes as readonly (number | string)[];
    const P = r.inputTokens;
    const key = (j: number): number | string => {
      const last = (j + 1) * b - 1;
      const k = Math.floor(last / B);
      const offset = last - k * B;
      const id = ids[k] as number | string;
      // Numbers stay numbers (cheap to hold): id·B + offset is unique for offsets in [0, B).
      if (typeof id === 'number' && id <= MAX_NUMERIC_ID / B) return id * B + offset;
      return `${id}@${offset}`;
    };
    const usable = Math.floor((P - 1) / b);
    let hits = 0;
    while (hits < usable && cached.has(key(hits))) hits += 1;
    const numFull = Math.floor(P / b);
    for (let j = hits; j < numFull; j++) cached.add(key(j));
    numPromptTokens += P;
    numServedTokens += hits * b;
  }
  return {
    available: true,
    blockTokens: b,
    traceBlockTokens: B,
    numPromptTokens,
    numServedTokens,
    ratio: numPromptTokens === 0 ? 0 : numServedTokens / numPromptTokens,
  };
}
