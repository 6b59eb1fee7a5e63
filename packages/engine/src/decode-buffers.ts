// A decode step's plan, outcome and in-flight record over arrays the engine rewrites in place from step to step
// (EngineConfig.reuseStepArrays): made once per engine, so a decode step allocates nothing. The values written
// are the ones a new plan would hold (Engine.fillDecodeBuffers).
import type { PlannedStep, StepOutcome } from './types.js';

export interface BatchEntry {
  seqId: string;
  tokenId: number;
}

export interface DecodeBuffers<S> {
  /** The step's sequences, in batch order. */
  readonly running: S[];
  readonly contextTokens: number[];
  readonly seqIds: string[];
  readonly batch: BatchEntry[];
  /** Every batch entry made so far (batch holds the first running.length of them). */
  readonly entries: BatchEntry[];
  /** The plan beginStep returns: { decode, batch, contextTokens } over the arrays above. */
  readonly plan: PlannedStep;
  /** The engine's in-flight record, its outcome over the arrays above. */
  readonly inFlight: { readonly kind: 'decode'; readonly running: readonly S[]; readonly outcome: StepOutcome };
}

export function makeDecodeBuffers<S>(): DecodeBuffers<S> {
  const running: S[] = [];
  const contextTokens: number[] = [];
  const seqIds: string[] = [];
  const batch: BatchEntry[] = [];
  const outcome: StepOutcome = { kind: 'decode', seqIds, contextTokens };
  return {
    running,
    contextTokens,
    seqIds,
    batch,
    entries: [],
    plan: { kind: 'decode', batch, contextTokens },
    inFlight: { kind: 'decode', running, outcome },
  };
}
