// The served tiny model on this machine as an `oicf` target: the analytic prediction a worker's step
// analyser makes for it without emulation (`--step-model oicf` with real kernels; known to miss: the
// calibrated model is the one to trust on this machine).
import { fitWeightsSharding, getDevice, getModel, type PrecisionId, type StepTarget, unwrap } from '@oicf/core';

export function thisMachineTarget(modelId: string, weights: PrecisionId): StepTarget {
  const model = unwrap(getModel(modelId));
  const device = unwrap(getDevice('this-machine'));
  const precision = { weights, kv: 'fp32' as PrecisionId, activations: 'fp32' as PrecisionId };
  return { model, device, precision, sharding: fitWeightsSharding(model, device, precision) };
}
