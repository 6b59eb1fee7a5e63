import { TraceError } from '../trace-error.js';
import type { BlockHash, TraceRequest } from '../types.js';

/**
 * Token scale factors: `input` for prompts (and their block layout), `output` for generated tokens
 * (default: the input factor). A bare number scales both.
 */
export interface TokenScale {
  readonly input: number;
  readonly output?: number;
}

/** The two factors of a scale, checked (finite, > 0); throws TraceError ('invalid-argument') otherwise. */
export function resolveTokenScale(scale: number | TokenScale): { input: number; output: number } {
  const input = typeof scale === 'number' ? scale : scale.input;
  const output = typeof scale === 'number' ? scale : (scale.output ?? scale.input);
  for (const [name, factor] of [
    ['token scale factor', input],
    ['output token scale factor', output],
  ] as const) {
    if (!(Number.isFinite(factor) && factor > 0)) {
      throw new TraceError('invalid-argument', `${name} must be a finite number > 0, got ${factor}`);
    }
  }
  return { input, output };
}

/** Scaled output tokens: rounded, never below 1; an output of 0 stays 0 (there was nothing to generate). */
export function scaleOutputTokens(outputTokens: number, factor: number): number {
  return outputTokens === 0 ? 0 : Math.max(1, Math.round(outputTokens * factor));
}

/**
 * Scales a request's token counts so a real trace fits this machine: input by `scale.input` and
 * output by `scale.output` (a number scales both), rounded and kept ≥ 1 (an output of 0 stays 0);
 * newTokens is rounded and capped at the new input. Block ids are remapped, not truncated, so prefix
 * sharing keeps its shape: blockTokens stays the same, the count becomes ceil(input'/blockTokens),
 * and scaled block j takes the id of the original block holding the scaled block's last token mapped
 * back (original token ≈ scaled token ÷ input factor). Because ids are prefix-chained, two requests
 * that shared that original block share the scaled block too. When several scaled blocks fall in one
 * original block they get ids `<id>/<k>` (k = 0, 1, ...; with factor > 1 every id gets the suffix).
 *
 *   factor 0.5, blockTokens 4:  original blocks  a a a a | b b b b | c c c c | d d      (14 tokens)
 *                               scaled (7 tokens) b' b' b' b'(ends at token 8 → b) | d' d' d' (→ d)
 */
export function scaleTokens(request: TraceRequest, scale: number | TokenScale): TraceRequest {
  const { input: factor, output } = resolveTokenScale(scale);
  const inputTokens = Math.max(1, Math.round(request.inputTokens * factor));
  const outputTokens = scaleOutputTokens(request.outputTokens, output);
  const scaled: TraceRequest = { ...request, inputTokens, outputTokens };
  const extra: { newTokens?: number; blockHashes?: BlockHash[] } = {};
  if (request.newTokens !== undefined) {
    extra.newTokens = Math.min(inputTokens, Math.round(request.newTokens * factor));
  }
  if (request.blockHashes !== undefined && request.blockTokens !== undefined) {
    extra.blockHashes = remapBlocks(request.blockHashes, request.blockTokens, request.inputTokens, inputTokens, factor);
  }
  return { ...scaled, ...extra };
}

/** Tolerance for float error in token ÷ factor (e.g. 512 / 0.1 = 5120.000000000001). */
const EPSILON = 1e-9;

function remapBlocks(
  original: readonly BlockHash[],
  blockTokens: number,
  originalInputTokens: number,
  scaledInputTokens: number,
  factor: number,
): BlockHash[] {
  const numScaled = Math.ceil(scaledInputTokens / blockTokens);
  const result: BlockHash[] = [];
  let previousIndex = -1;
  let repeat = 0;
  for (let j = 0; j < numScaled; j++) {
    const scaledEnd = Math.min((j + 1) * blockTokens, scaledInputTokens);
    const originalEnd = Math.min(originalInputTokens, Math.ceil(scaledEnd / factor - EPSILON));
    const index = Math.min(original.length - 1, Math.max(previousIndex, Math.ceil(originalEnd / blockTokens) - 1));
    repeat = index === previousIndex ? repeat + 1 : 0;
    const id = original[index] as BlockHash;
    // Fan-out (factor > 1) suffixes every id so the labels depend only on the position, not on
    // where this request happens to end; with factor ≤ 1 only the partial last block can repeat.
    result.push(factor > 1 || repeat > 0 ? `${id}/${repeat}` : id);
    previousIndex = index;
  }
  return result;
}

/** scaleTokens over a trace. */
export function scaleTraceTokens(requests: readonly TraceRequest[], scale: number | TokenScale): TraceRequest[] {
  return requests.map((r) => scaleTokens(r, scale));
}
