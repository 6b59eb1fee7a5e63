import { mulberry32, type Prng } from '@oicf/core';

/**
 * Seeded randomness for the synthesizers (mulberry32; no Math.random). Session content seeds are
 * derived per session index, so session i is the same whatever the number of sessions.
 */
export type SeededRandom = Prng;

export function createSeededRandom(seed: number): SeededRandom {
  return mulberry32(mixSeed(seed, 0x9e3779b9));
}

/** A 32-bit seed from (seed, index) by murmur3's finalizer; integer seeds in, unsigned int out. */
export function mixSeed(seed: number, index: number): number {
  let h = (Math.trunc(seed) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h ^= Math.trunc(seed / 4294967296) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Exponential with the given rate (mean 1/rate), by inversion. */
export function sampleExponential(random: SeededRandom, ratePerSecond: number): number {
  return -Math.log(1 - random.next()) / ratePerSecond;
}
