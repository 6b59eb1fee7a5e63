/** Tokens per synthesized Copilot block: kv-cache-tester's size, fine enough that rounding loses < 64 tokens per call. */
export const COPILOT_BLOCK_TOKENS = 64;

/**
 * Prefix-sharing block ids for a trace that reports how many prompt tokens were cached but not
 * which ones (the Copilot coding-agent dataset). One instance per trace; ids are trace-wide integers.
 *
 * A call of `model` with P prompt and C cached tokens gets n = ceil(P / b) ids. Its first
 * s = floor(C / b) ids are copied from its reference prompt, the rest are fresh:
 * - the reference is the previous call of the same model in the same session (a provider caches per
 *   model, and an agent's next call re-sends its context), capped at that prompt's full blocks;
 * - a session's first call of a model has no such call, so its cached tokens are taken as the
 *   model-wide prefix every session sends (system prompt, tool schemas): one shared chain per model,
 *   grown on demand. The first call to need a given stretch of it finds it cold.
 *
 *   call 1 (P 300, C 0,   b 64):  f1 f2 f3 f4 f5         (5 fresh; 4 full blocks)
 *   call 2 (P 400, C 256):        f1 f2 f3 f4 g1 g2 g3   (s = 4 copied from call 1, 3 fresh)
 *
 * So an unlimited prefix cache replaying the trace hits exactly s blocks of each call, except where
 * C exceeds the reference's full blocks (counted in `numUnplacedCachedTokens`) or the model prefix is
 * cold: the reuse ceiling reproduces the reported cached share up to block rounding.
 */
export class CachedPrefixBlocks {
  private next = 0;
  private readonly modelPrefix = new Map<string, number[]>();
  private chains = new Map<string, { ids: readonly number[]; numFullBlocks: number }>();
  numUnplacedCachedTokens = 0;
  numCallsWithUnplacedTokens = 0;

  constructor(readonly blockTokens: number = COPILOT_BLOCK_TOKENS) {}

  /** Starts a session: calls of earlier sessions are no reference any more (the model prefix stays). */
  beginSession(): void {
    this.chains = new Map();
  }

  /** Ids of one call's prompt; 1 ≤ promptTokens, 0 ≤ cachedTokens ≤ promptTokens. */
  forCall(model: string, promptTokens: number, cachedTokens: number): number[] {
    const b = this.blockTokens;
    const numBlocks = Math.ceil(promptTokens / b);
    const wanted = Math.min(numBlocks, Math.floor(cachedTokens / b));
    const reference = this.chains.get(model);
    let ids: number[];
    if (reference === undefined) {
      ids = this.prefixOf(model, wanted).slice(0, wanted);
    } else {
      const placed = Math.min(wanted, reference.numFullBlocks);
      if (placed < wanted) {
        this.numUnplacedCachedTokens += (wanted - placed) * b;
        this.numCallsWithUnplacedTokens += 1;
      }
      ids = reference.ids.slice(0, placed);
    }
    while (ids.length < numBlocks) ids.push(this.next++);
    this.chains.set(model, { ids, numFullBlocks: Math.floor(promptTokens / b) });
    return ids;
  }

  private prefixOf(model: string, numBlocks: number): number[] {
    let prefix = this.modelPrefix.get(model);
    if (prefix === undefined) {
      prefix = [];
      this.modelPrefix.set(model, prefix);
    }
    while (prefix.length < numBlocks) prefix.push(this.next++);
    return prefix;
  }
}
