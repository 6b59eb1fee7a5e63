import { sumTotals } from '../count/count-graph.js';
import { sumFeatures } from '../step-time/feature-vector.js';
import { StepStats } from './step-stats.js';

/** What a prefill or decode call returns. */
export interface StepOutput {
  /** Row-major [rows, vocab]: prefill rows = new tokens (or 1 with logits 'last'); decode rows = batch. */
  readonly logits: Float32Array;
  readonly numRows: number;
  readonly stats: StepStats;
  /** MoE only: routed expert ids per layer, [tokens·topK] row-major. */
  readonly moeExperts?: readonly BigInt64Array[];
}

/**
 * One prefill call's output from its chunks (consecutive graph runs over a growing prefix):
 * logits of every chunk ('all') or the last chunk's ('last'), seconds and counts summed, MoE
 * routing concatenated per layer. `P` is the prefix length before the first chunk.
 */
export function mergePrefillChunks(
  chunks: readonly StepOutput[],
  P: number,
  logitsMode: 'all' | 'last',
  vocabSize: number,
): StepOutput {
  const first = chunks[0];
  if (first === undefined) throw new Error('mergePrefillChunks: no chunks');
  if (chunks.length === 1) return first;
  const logits =
    logitsMode === 'all'
      ? concat(
          chunks.map((c) => c.logits),
          Float32Array,
        )
      : (chunks[chunks.length - 1]?.logits ?? first.logits);
  const info = {
    phase: 'prefill' as const,
    batch: 1,
    numNewTokens: chunks.reduce((a, c) => a + c.stats.numNewTokens, 0),
    contextTokens: [P],
    seconds: chunks.reduce((a, c) => a + c.stats.seconds, 0),
  };
  const routing = first.moeExperts;
  return {
    logits,
    numRows: logits.length / vocabSize,
    stats: new StepStats(info, () => ({
      totals: sumTotals(chunks.map((c) => c.stats.count)),
      features: sumFeatures(chunks.map((c) => c.stats.features)),
    })),
    ...(routing
      ? {
          moeExperts: routing.map((_, l) =>
            concat(
              chunks.map((c) => c.moeExperts?.[l] ?? new BigInt64Array()),
              BigInt64Array,
            ),
          ),
        }
      : {}),
  };
}

function concat<T extends Float32Array | BigInt64Array>(parts: readonly T[], Ctor: new (n: number) => T): T {
  const out = new Ctor(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    (out as Float32Array).set(p as Float32Array, at);
    at += p.length;
  }
  return out;
}
