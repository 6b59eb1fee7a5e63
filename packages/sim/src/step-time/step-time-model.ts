// The step-time port the twin prices engine steps with. Its shape is `@oicf/core`'s StepTimeModel and
// StepShapeQuery as branch b-calib defines them (packages/oicf/src/emulation/step-time-model.ts); until
// that branch is merged the types are declared here, structurally identical, so b-calib's `oicf` and
// `calibrated` models plug in unchanged. After the merge this file re-exports them from @oicf/core.

/**
 * One engine step as its StepRunner is asked to run it: a prefill of `numNewTokens` tokens of one
 * sequence over its `cachedTokens` already in KV, or a decode step of one new token for each sequence of
 * the batch, sequence b having `contextTokens[b]` cached.
 */
export type StepShapeQuery =
  | { readonly phase: 'prefill'; readonly numNewTokens: number; readonly cachedTokens: number }
  | { readonly phase: 'decode'; readonly contextTokens: readonly number[] };

/** How long one engine step takes, without running it. Pure and cheap (microseconds per call). */
export interface StepTimeModel {
  readonly kind: 'oicf' | 'calibrated';
  /** What is modelled, for reports: `llama-3.1-70b@h100`, `tiny-gqa fp32 on this machine`. */
  readonly label: string;
  /** Predicted wall seconds of the step. */
  stepSeconds(step: StepShapeQuery): number;
}
