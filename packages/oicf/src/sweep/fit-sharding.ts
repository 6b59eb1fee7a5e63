import { weightBytes } from '../models/parameters.js';
import type { DeviceSpec, ModelSpec, PrecisionConfig, ShardingSpec } from '../types.js';

/** Share of device memory the weights may take under 'fit-weights' (the rest holds KV). */
export const FIT_WEIGHTS_MEMORY_SHARE = 0.5;

/** Smallest power-of-two tensor-parallel domain (≤ the device's scale-up limit) whose memory
 * holds the weights in FIT_WEIGHTS_MEMORY_SHARE of it; the largest domain when none does; one
 * device when the device has no scale-up link. MoE models use tensor+expert parallelism. */
export function fitWeightsSharding(model: ModelSpec, device: DeviceSpec, precision: PrecisionConfig): ShardingSpec {
  const strategy = model.moe ? 'tensor+expert' : 'tensor';
  const maxDevices = device.scaleUp?.maxDomainDevices ?? 1;
  const weights = weightBytes(model, precision);
  let numDevices = 1;
  while (numDevices < maxDevices && weights > FIT_WEIGHTS_MEMORY_SHARE * numDevices * device.memoryCapacityBytes) {
    numDevices = Math.min(maxDevices, numDevices * 2);
  }
  return { numDevices, strategy };
}
