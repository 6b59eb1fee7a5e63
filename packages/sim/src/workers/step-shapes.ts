// The step-time model's query for a planned engine step, written into one object per phase and rewritten step
// after step (a loop has one step in flight, and the query is read while it runs and kept by nothing): the
// twin's step loop asks it once per simulated step, so it makes no object per step.
import type { StepShapeQuery } from '@oicf/core';
import type { PlannedStep } from '@oicf/engine';

export class StepShapes {
  private readonly prefill = { phase: 'prefill' as const, numNewTokens: 0, cachedTokens: 0 };
  private readonly decode: { phase: 'decode'; contextTokens: readonly number[] } = {
    phase: 'decode',
    contextTokens: [],
  };

  /**
   * The query for `plan` (undefined: nothing to run): a prefill chunk [fromToken, toToken) is toToken − fromToken
   * new tokens over fromToken cached; a decode step is its batch's context lengths. Valid until the next call.
   */
  of(plan: PlannedStep): StepShapeQuery | undefined {
    if (plan.kind === 'prefill') {
      this.prefill.numNewTokens = plan.toToken - plan.fromToken;
      this.prefill.cachedTokens = plan.fromToken;
      return this.prefill;
    }
    if (plan.kind === 'decode') {
      this.decode.contextTokens = plan.contextTokens;
      return this.decode;
    }
    return undefined;
  }
}
