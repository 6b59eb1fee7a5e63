import { describe, expect, it } from 'vitest';
import { fillUniform, float16Bits, float16Value, matrix, quantizeColumns, tensorSeed, toFloat16 } from './weights.js';

describe('seeded weights', () => {
  it('are reproducible, distinct per tensor name and per seed, and within bounds', () => {
    const a = matrix(7, 'l0.attn.w_q', 64, 32);
    expect(matrix(7, 'l0.attn.w_q', 64, 32)).toEqual(a);
    expect(matrix(7, 'l0.attn.w_k', 64, 32)).not.toEqual(a);
    expect(matrix(8, 'l0.attn.w_q', 64, 32)).not.toEqual(a);
    const bound = Math.sqrt(3 / 64);
    expect(a.every((v) => Math.abs(v) <= bound)).toBe(true);
    // Uniform on ±√(3/fanIn) has variance 1/fanIn = 1/64: the sample variance of 2048 draws is close.
    const variance = a.reduce((s, v) => s + v * v, 0) / a.length;
    expect(variance).toBeGreaterThan(0.8 / 64);
    expect(variance).toBeLessThan(1.2 / 64);
  });

  it('tensor seeds differ for names differing in one character', () => {
    expect(tensorSeed(1, 'l0.ffn.w_up')).not.toBe(tensorSeed(1, 'l1.ffn.w_up'));
    expect(fillUniform(new Float32Array(4), 1, 'x', 1)).toEqual(fillUniform(new Float32Array(4), 1, 'x', 1));
  });
});

describe('int8 per-column quantization', () => {
  it('uses scale = max|column| / 127 and rounds to nearest', () => {
    // Columns: [1, -0.25] → scale 1/127, -0.25·127 = -31.75 → -32;
    // [0.254, 0.1] → scale 0.002, 0.1/0.002 = 50; [0, 0] → scale 1 (no division by zero).
    const w = Float32Array.from([1, 0.254, 0, -0.25, 0.1, 0]);
    const q = quantizeColumns(w, 2, 3);
    expect(Array.from(q.values)).toEqual([127, 127, 0, -32, 50, 0]);
    expect(q.scales[0]).toBeCloseTo(1 / 127, 7);
    expect(q.scales[1]).toBeCloseTo(0.002, 7);
    expect(q.scales[2]).toBe(1);
  });
});

describe('float16 conversion', () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff], // largest finite half
    [1e6, 0x7c00], // overflow → +Inf
    [2 ** -24, 0x0001], // smallest subnormal
    [1 + 2 ** -11, 0x3c00], // exactly halfway between 1 and 1+2⁻¹⁰: ties to even (1)
    [1 + 3 * 2 ** -11, 0x3c02], // halfway between 1+2⁻¹⁰ and 1+2⁻⁹: ties to even (…02)
    [0.1, 0x2e66],
  ])('%f → bits %i', (value, bits) => {
    expect(float16Bits(value)).toBe(bits);
  });

  it('round-trips every finite half value', () => {
    for (let bits = 0; bits < 0x7c00; bits += 7) expect(float16Bits(float16Value(bits))).toBe(bits);
    expect(Array.from(toFloat16(Float32Array.from([1, -2])))).toEqual([0x3c00, 0xc000]);
  });
});
