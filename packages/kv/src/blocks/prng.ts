/**
 * xoshiro128** (Blackman & Vigna), a small fast PRNG with 128 bits of state. Deterministic
 * per seed; used to synthesize token ids, never for anything security-related.
 */
export class Xoshiro128 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seed with four uint32 words, not all zero (an all-zero state is replaced by a fixed one). */
  constructor(seed: readonly [number, number, number, number]) {
    const allZero = seed.every((w) => w === 0);
    this.a = allZero ? 0x9e3779b9 : seed[0] >>> 0;
    this.b = allZero ? 0x243f6a88 : seed[1] >>> 0;
    this.c = allZero ? 0xb7e15162 : seed[2] >>> 0;
    this.d = allZero ? 0x85a308d3 : seed[3] >>> 0;
  }

  /** Next uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform integer in [0, n) for 0 < n ≤ 2^32, by rejection (no modulo bias). */
  nextBelow(n: number): number {
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}
