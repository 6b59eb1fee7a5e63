import { ridgePointFlopsPerByte } from '../analysis/roofline.js';
import { OicfCoreError } from '../errors.js';
import type { DeviceSpec, PrecisionConfig, PrecisionId } from '../types.js';

/** Which listed peak serves a compute precision the device does not list: the nearest wider
 * format with hardware support (e.g. int4 math runs as int8, fp4 as fp8, bf16 as fp32 on a CPU). */
const FALLBACK: Readonly<Record<PrecisionId, readonly PrecisionId[]>> = {
  fp32: ['fp32'],
  bf16: ['bf16', 'fp16', 'fp32'],
  fp16: ['fp16', 'bf16', 'fp32'],
  fp8: ['fp8', 'bf16', 'fp16', 'fp32'],
  int8: ['int8', 'bf16', 'fp16', 'fp32'],
  int4: ['int4', 'int8', 'bf16', 'fp16', 'fp32'],
  fp4: ['fp4', 'fp8', 'bf16', 'fp16', 'fp32'],
};

/** Matmuls run at the activation precision (weight-only quantization dequantizes on the fly). */
export function computePrecision(precision: PrecisionConfig): PrecisionId {
  return precision.activations;
}

/** Dense peak FLOP/s of `device` at `precision`, with the fallback above. */
export function peakFlopsPerSecond(device: DeviceSpec, precision: PrecisionId): number {
  for (const candidate of FALLBACK[precision]) {
    const peak = device.peakFlopsPerSecond[candidate];
    if (peak !== undefined && peak > 0) return peak;
  }
  throw new OicfCoreError({
    code: 'INVALID_ARGUMENT',
    message: `device '${device.id}' lists no peak usable for ${precision} (tried ${FALLBACK[precision].join(', ')}); add peakFlopsPerSecond.${precision}`,
    issues: [{ path: `peakFlopsPerSecond.${precision}`, message: 'missing' }],
  });
}

/** Ridge point of `device` at `precision` (FLOP per byte). H100 bf16: 989.4e12/3.35e12 ≈ 295. */
export function ridgeFlopsPerByte(device: DeviceSpec, precision: PrecisionId): number {
  return ridgePointFlopsPerByte(peakFlopsPerSecond(device, precision), device.memoryBandwidthBytesPerSecond);
}
