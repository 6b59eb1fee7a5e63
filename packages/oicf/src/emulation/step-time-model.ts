import { OicfCoreError } from '../errors.js';

/**
 * The step-time port: how long one engine step takes, without running it. The cluster twin
 * (packages/sim) drives the real engine through a StepRunner that returns these times; the workers
 * pace their real steps to the `oicf` model under `--emulate` (@oicf/worker pacer.ts). Two kinds:
 *
 *   oicf        the analytic @oicf/core roofline prediction of a catalog model on a catalog device
 *               (oicfStepTimeModel here: exactly what `--emulate <model>@<device>` paces to)
 *   calibrated  this machine running the tiny kernels for real, fitted by `oicf roofline`
 *               (@oicf/kernels/step-time: calibratedStepTimeModel)
 *
 * Implementations are pure and cheap (microseconds per call): no onnxruntime, no I/O, no clock.
 */
export interface StepTimeModel {
  readonly kind: 'oicf' | 'calibrated';
  /** What is modelled, for reports: `llama-3.1-70b@h100`, `tiny-gqa int8 on this machine`. */
  readonly label: string;
  /** Predicted wall seconds of the step. Throws OicfCoreError INVALID_ARGUMENT for a malformed shape. */
  stepSeconds(step: StepShapeQuery): number;
}

/**
 * One engine step as its StepRunner is asked to run it (@oicf/engine StepOutcome): a prefill of
 * `numNewTokens` tokens of one sequence over its `cachedTokens` already in KV, or a decode step of
 * one new token for each sequence of the batch, sequence b having `contextTokens[b]` cached.
 */
export type StepShapeQuery =
  | { readonly phase: 'prefill'; readonly numNewTokens: number; readonly cachedTokens: number }
  | { readonly phase: 'decode'; readonly contextTokens: readonly number[] };

/** Throws INVALID_ARGUMENT naming the field unless the shape is one a runner could run. */
export function checkStepShape(step: StepShapeQuery): void {
  // Called once per simulated step (the twin's hot path): no closure or array is made unless a shape is bad.
  if (step.phase === 'prefill') {
    if (!Number.isInteger(step.numNewTokens) || step.numNewTokens < 1)
      throw badShape(`numNewTokens must be an integer ≥ 1, got ${step.numNewTokens}`);
    if (!Number.isInteger(step.cachedTokens) || step.cachedTokens < 0)
      throw badShape(`cachedTokens must be an integer ≥ 0, got ${step.cachedTokens}`);
    return;
  }
  if (step.phase !== 'decode')
    throw badShape(`phase must be 'prefill' or 'decode', got '${String((step as { phase: unknown }).phase)}'`);
  const contexts = step.contextTokens;
  if (contexts.length === 0) throw badShape('a decode step needs at least one sequence (contextTokens is empty)');
  for (let b = 0; b < contexts.length; b++) {
    const L = contexts[b] as number;
    if (!Number.isInteger(L) || L < 1) throw badShape(`contextTokens[${b}] must be an integer ≥ 1, got ${L}`);
  }
}

function badShape(message: string): OicfCoreError {
  return new OicfCoreError({ code: 'INVALID_ARGUMENT', message: `step shape: ${message}` });
}
