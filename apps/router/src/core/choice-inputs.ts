// A validated request → one GenerateInput per choice (`n`), each admitted and run as a request of its own
// that shares the prompt (the front door merges their streams). Choice i has request id `{id}` (i = 0) or
// `{id}-{i}`, its own sampling stream, and its seed: the request's `seed` for choice 0 and a derived seed
// for the others (so choice 0 of n matches the n = 1 reply of the same seed); without a seed each choice
// draws a fresh random one. Pure: the random source is injected.
import { fmix32 } from '@oicf/core';
import { resolveMaxTokens } from './context-window.js';
import type { GenerateInput } from './generate-input.js';
import type { SamplingRequest } from './validate-sampling.js';

export interface ChoiceBase {
  readonly promptTokenIds: readonly number[];
  readonly sampling: SamplingRequest;
  readonly sessionId: string;
  readonly sessionTtlSeconds: number;
}

export interface ChoiceContext {
  /** The context limit now (context-window.ts); undefined when no decode worker is registered. */
  readonly longestSequenceTokens: number | undefined;
  /** A fresh seed in [0, 2^48). */
  readonly randomSeed: () => number;
}

/** The seed of choice `index` of a request seeded `seed` (< 2^53): `seed` itself for choice 0, else a 48-bit mix. */
export function choiceSeed(seed: number, index: number): number {
  if (index === 0) return seed;
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const a = fmix32(lo ^ fmix32(Math.imul(index, 0x9e3779b9)));
  const b = fmix32(hi ^ a ^ index);
  return (b & 0xffff) * 2 ** 32 + a;
}

export function choiceInputs(base: ChoiceBase, requestId: string, ctx: ChoiceContext): GenerateInput[] {
  const s = base.sampling;
  const maxTokens = resolveMaxTokens(s.maxTokens, base.promptTokenIds.length, ctx.longestSequenceTokens);
  const inputs: GenerateInput[] = [];
  for (let i = 0; i < s.n; i++) inputs.push(choiceInput(base, requestId, ctx, maxTokens, i));
  return inputs;
}

function choiceInput(
  base: ChoiceBase,
  requestId: string,
  ctx: ChoiceContext,
  maxTokens: number,
  i: number,
): GenerateInput {
  const s = base.sampling;
  return {
    requestId: i === 0 ? requestId : `${requestId}-${i}`,
    promptTokenIds: base.promptTokenIds,
    maxTokens,
    sampling: {
      temperature: s.temperature,
      topP: s.topP,
      topK: s.topK,
      seed: s.seed === undefined ? ctx.randomSeed() : choiceSeed(s.seed, i),
      stopTokenIds: s.stopTokenIds,
      ...(s.numTopLogprobs === undefined ? {} : { numTopLogprobs: s.numTopLogprobs }),
    },
    sessionId: base.sessionId,
    sessionTtlSeconds: base.sessionTtlSeconds,
    stop: s.stop,
  };
}
