import type { TraceRequest } from '../types.js';
import { scaleBlocks } from './scale-blocks.js';
import { resolveTokenScale, scaleTokens, type TokenScale } from './scale-tokens.js';

/** How a replay shrinks a trace: `blocks` keeps every block id (scaleBlocks), `remap` keeps the block size (scaleTokens). */
export type TokenScaleMode = 'blocks' | 'remap';

export interface TraceScaling extends TokenScale {
  /** Default 'blocks', the replay default. */
  readonly mode?: TokenScaleMode;
}

export interface ScaledTrace {
  readonly requests: TraceRequest[];
  readonly inputFactor: number;
  readonly outputFactor: number;
  /**
   * Requests whose output became exactly 1 token though the trace asked for more: a TPOT measured on
   * them rests on almost nothing. Outputs never round below 1 (an output of 0 stays 0).
   */
  readonly numOutputsBecameOne: number;
}

/**
 * Scales every request of a trace by `scaling` (input and output factors apart) and says how many
 * outputs became a single token. This is what `oicf replay --token-scale/--output-token-scale` sends and
 * what `oicf trace stats` describes with the same flags.
 */
export function scaleTrace(requests: readonly TraceRequest[], scaling: TraceScaling): ScaledTrace {
  const { input, output } = resolveTokenScale(scaling);
  const one = (scaling.mode ?? 'blocks') === 'blocks' ? scaleBlocks : scaleTokens;
  let numOutputsBecameOne = 0;
  const scaled = requests.map((r) => {
    const s = one(r, { input, output });
    if (s.outputTokens === 1 && r.outputTokens > 1) numOutputsBecameOne += 1;
    return s;
  });
  return { requests: scaled, inputFactor: input, outputFactor: output, numOutputsBecameOne };
}
