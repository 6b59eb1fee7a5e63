import { describe, expect, it } from 'vitest';
import { Ewma } from './ewma.js';

describe('Ewma', () => {
  it('starts at the first sample and moves alpha of the way to each next one', () => {
    const e = new Ewma(0.25);
    expect(e.value).toBe(0);
    expect(e.hasValue).toBe(false);
    expect(e.update(8)).toBe(8);
    expect(e.update(4)).toBe(7); // 8 + 0.25·(4 − 8)
    expect(e.update(11)).toBe(8); // 7 + 0.25·(11 − 7)
    expect(e.update(Number.NaN)).toBe(8); // ignored
  });

  it('rejects alpha outside (0, 1]', () => {
    expect(() => new Ewma(0)).toThrow(/alpha/);
    expect(() => new Ewma(1.5)).toThrow(/alpha/);
  });
});
