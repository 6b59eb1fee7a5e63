import { describe, expect, it } from 'vitest';
import { parsePolicyParams } from './params.js';
import type { ParamSchema } from './policy.js';

const schema: ParamSchema = {
  ratio: { kind: 'number', default: 0.1, min: 0, max: 1, description: 'r' },
  count: { kind: 'number', default: 2, min: 1, integer: true, description: 'c' },
  positive: { kind: 'number', default: 1, min: 0, exclusiveMin: true, description: 'p' },
  fn: { kind: 'function', default: () => 1, description: 'f' },
};

describe('parsePolicyParams', () => {
  it('fills defaults for missing fields and for undefined input', () => {
    const parsed = parsePolicyParams(schema, undefined);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.params).toMatchObject({ ratio: 0.1, count: 2, positive: 1 });
  });

  it('keeps valid values', () => {
    const fn = () => 3;
    const parsed = parsePolicyParams(schema, { ratio: 1, count: 5, fn });
    expect(parsed).toEqual({ ok: true, params: { ratio: 1, count: 5, positive: 1, fn } });
  });

  it('lists every bad field at once, by path', () => {
    const parsed = parsePolicyParams(
      schema,
      { ratio: 2, count: 1.5, positive: 0, fn: 3, extra: true },
      'tiers[0].policy.params',
    );
    expect(parsed).toEqual({
      ok: false,
      errors: [
        'tiers[0].policy.params.extra: unknown parameter; valid: ratio, count, positive, fn',
        'tiers[0].policy.params.ratio: must be ≤ 1, got 2',
        'tiers[0].policy.params.count: must be an integer, got 1.5',
        'tiers[0].policy.params.positive: must be > 0, got 0',
        'tiers[0].policy.params.fn: must be a function, got 3',
      ],
    });
  });

  it('names every bound a value breaks, and takes Infinity as a number (an uncapped count)', () => {
    expect(parsePolicyParams(schema, { count: 0.5, ratio: Number.POSITIVE_INFINITY })).toEqual({
      ok: false,
      errors: ['params.ratio: must be ≤ 1, got Infinity', 'params.count: must be an integer and ≥ 1, got 0.5'],
    });
    const uncapped = { cap: { kind: 'number', default: 1, min: 1, description: 'c' } } as const;
    expect(parsePolicyParams(uncapped, { cap: Number.POSITIVE_INFINITY })).toEqual({
      ok: true,
      params: { cap: Number.POSITIVE_INFINITY },
    });
  });

  it('rejects a non-object and a NaN', () => {
    expect(parsePolicyParams(schema, [1])).toEqual({ ok: false, errors: ['params: must be an object, got array(1)'] });
    expect(parsePolicyParams(schema, { ratio: Number.NaN })).toEqual({
      ok: false,
      errors: ['params.ratio: must be a number, got NaN'],
    });
  });
});
