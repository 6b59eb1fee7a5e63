import { requireNumber } from '../errors.js';
import { createPrng, type Prng } from '../prng.js';
import type { RangeSpec, SessionTurn, WorkflowSpec } from '../types.js';

/** Draw from a range; integers unless `real`. Log-uniform needs min > 0 (min 0 = always 0). */
export function sampleRange(range: RangeSpec, prng: Prng, real = false): number {
  const u = prng.next();
  if (range.max <= range.min) return range.min;
  if (range.distribution === 'log-uniform' && range.min > 0) {
    const value = Math.exp(Math.log(range.min) + u * (Math.log(range.max) - Math.log(range.min)));
    return real ? value : Math.min(range.max, Math.max(range.min, Math.round(value)));
  }
  if (real) return range.min + u * (range.max - range.min);
  return range.min + Math.floor(u * (range.max - range.min + 1));
}

/** One agent session: turn 0 prefills the system prompt plus its first input; each later turn
 * appends user text, tool output and screenshots after a gap, then decodes the model's output.
 * Deterministic for a seed (or a PRNG passed in, which is advanced). Draw order per session:
 * numTurns, then per turn: gap, user, tool, screenshots, output — fixed, so `numTurns` given or
 * not, the same seed yields the same turns.
 *
 * Context cap: when before + input + output would exceed maxContextTokens, the oldest tokens are
 * dropped (numDroppedTokens) so the context ends at the cap; the dropped prefix invalidates the
 * cache. A single turn's input is clipped to cap − output, output to half the cap. */
export function simulateSession(workflow: WorkflowSpec, seed: number | Prng, numTurns?: number): SessionTurn[] {
  const prng = typeof seed === 'number' ? createPrng(seed) : seed;
  const drawnTurns = sampleRange(workflow.numTurns, prng);
  const count = numTurns ?? drawnTurns;
  requireNumber('numTurns', count, 0, true);
  const cap = workflow.maxContextTokens;
  const turns: SessionTurn[] = [];
  let context = 0;
  for (let index = 0; index < count; index++) {
    const gap = sampleRange(workflow.gapSeconds, prng, true);
    const user = sampleRange(workflow.userTokensPerTurn, prng);
    const tool = sampleRange(workflow.toolOutputTokensPerTurn, prng);
    const screenshots = sampleRange(workflow.numScreenshotsPerTurn, prng);
    const drawnOutput = sampleRange(workflow.outputTokensPerTurn, prng);
    const output = Math.min(drawnOutput, Math.floor(cap / 2));
    const screenshotTokens = screenshots * workflow.tokensPerScreenshot;
    const input = Math.min(
      (index === 0 ? workflow.systemPromptTokens : 0) + user + tool + screenshotTokens,
      cap - output,
    );
    const overflow = context + input + output - cap;
    const dropped = overflow > 0 ? Math.min(context, overflow) : 0;
    const after = context - dropped + input + output;
    turns.push({
      index,
      gapSecondsBefore: index === 0 ? 0 : gap,
      contextTokensBefore: context,
      numUserTokens: user,
      numToolOutputTokens: tool,
      numScreenshots: screenshots,
      numScreenshotTokens: screenshotTokens,
      numNewInputTokens: input,
      numOutputTokens: output,
      numDroppedTokens: dropped,
      contextTokensAfter: after,
    });
    context = after;
  }
  return turns;
}
