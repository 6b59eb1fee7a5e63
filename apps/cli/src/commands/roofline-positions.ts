import { type SweepSpec, sweepConfig } from '@oicf/kernels';
import { UsageError } from '../command.js';

/**
 * Every prefill length must fit the sweep models' positions (the prompt takes positions
 * 0..n−1), every decode context one fewer (the new token takes position L). The limit comes
 * from the models the sweep builds (sweepConfig), the smallest over its variants × precisions.
 */
export function checkPositions(spec: SweepSpec): void {
  const maxPositions = Math.min(
    ...spec.variants.flatMap((v) => spec.precisions.map((p) => sweepConfig(spec, v, p).maxPositions)),
  );
  const prefill = spec.prefillTokens.filter((n) => n > maxPositions);
  if (prefill.length > 0) {
    throw new UsageError(
      `--prefill ${prefill.join(',')}: above the ${spec.size} models' ${maxPositions.toLocaleString('en-US')} positions`,
    );
  }
  const contexts = spec.decodeContexts.filter((n) => n > maxPositions - 1);
  if (contexts.length > 0) {
    throw new UsageError(
      `--contexts ${contexts.join(',')}: the ${spec.size} models have ${maxPositions.toLocaleString('en-US')} positions, so a decode context is at most ${(maxPositions - 1).toLocaleString('en-US')} (the new token takes the next position)`,
    );
  }
}
