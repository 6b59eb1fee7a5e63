/** Deterministic PRNG (mulberry32): same seed, same sequence, on every platform. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
}

export function createPrng(seed: number): Prng {
  // Fold any finite number (including fractions and negatives) into a 32-bit state.
  let state = (Math.floor(seed * 2654435761) ^ Math.floor(seed)) >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
