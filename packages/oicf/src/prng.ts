/** Deterministic PRNG (mulberry32): same seed, same sequence, on every platform. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
}

/**
 * The mulberry32 stream from a 32-bit state (any number is folded to uint32 first). Every seeded stream in
 * the project is this one; they differ only in how they derive the state from their seed.
 */
export function mulberry32(initialState: number): Prng {
  let state = initialState >>> 0;
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

/** murmur3's 32-bit finalizer: a bijection on uint32 that spreads every input bit over the output (seed mixing). */
export function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export function createPrng(seed: number): Prng {
  // Fold any finite number (including fractions and negatives) into a 32-bit state.
  return mulberry32((Math.floor(seed * 2654435761) ^ Math.floor(seed)) >>> 0);
}
