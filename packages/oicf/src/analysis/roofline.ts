import type { Regime } from '../types.js';

/** Ridge point of a roofline: peak FLOP/s ÷ memory bandwidth, the OI (FLOP/byte) at which a step turns
 * from bandwidth- to compute-bound. H100 bf16: 989.4e12 / 3.35e12 ≈ 295. */
export function ridgePointFlopsPerByte(peakFlopsPerSecond: number, memoryBandwidthBytesPerSecond: number): number {
  return peakFlopsPerSecond / memoryBandwidthBytesPerSecond;
}

/** Attainable FLOP/s on a roofline: min(peak, bandwidth · OI). */
export function attainableFlopsPerSecond(
  peakFlopsPerSecond: number,
  memoryBandwidthBytesPerSecond: number,
  intensityFlopsPerByte: number,
): number {
  return Math.min(peakFlopsPerSecond, memoryBandwidthBytesPerSecond * intensityFlopsPerByte);
}

/** Model FLOPs utilisation: achieved FLOP/s over peak. */
export function mfu(flops: number, seconds: number, peakFlopsPerSecond: number): number {
  return seconds > 0 ? flops / (seconds * peakFlopsPerSecond) : 0;
}

/** Memory bandwidth utilisation: achieved bytes/s over bandwidth. */
export function mbu(bytes: number, seconds: number, memoryBandwidthBytesPerSecond: number): number {
  return seconds > 0 ? bytes / (seconds * memoryBandwidthBytesPerSecond) : 0;
}

/** The four regimes (docs/oicf.md): the request set either fits device memory or not, and its OI
 * is at/above the ridge (compute side) or below it (bandwidth side).
 *   fits,  OI ≥ ridge → compute-bound            fits,  OI < ridge → bandwidth-bound
 *   ¬fits, OI ≥ ridge → capacity-bound           ¬fits, OI < ridge → capacity-and-bandwidth-bound */
export function classifyRegime(fits: boolean, intensityFlopsPerByte: number, ridgeFlopsPerByte: number): Regime {
  const computeSide = intensityFlopsPerByte >= ridgeFlopsPerByte;
  if (fits) return computeSide ? 'compute-bound' : 'bandwidth-bound';
  return computeSide ? 'capacity-bound' : 'capacity-and-bandwidth-bound';
}
