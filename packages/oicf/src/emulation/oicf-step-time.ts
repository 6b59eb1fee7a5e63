import { type EmulationTarget, predictTargetStep } from './emulation-target.js';
import { checkStepShape, type StepShapeQuery, type StepTimeModel } from './step-time-model.js';

/**
 * The `oicf` step-time model: @oicf/core's roofline prediction of the emulated target for each step
 * (predictTargetStep, the figure a worker's pacer sleeps up to under `--emulate`). Build the target
 * once with emulationTarget('<model>@<device>', '<link>'): the model in bf16 on the smallest
 * tensor-parallel domain of that device its weights fit.
 */
export function oicfStepTimeModel(target: EmulationTarget): StepTimeModel {
  return {
    kind: 'oicf',
    label: `${target.model.id}@${target.device.id}`,
    stepSeconds(step: StepShapeQuery): number {
      checkStepShape(step);
      return predictTargetStep(target, step).stepSeconds;
    },
  };
}
