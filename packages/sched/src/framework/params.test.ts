import { describe, expect, it } from 'vitest';
import { booleanParam, numberParam, parseParams } from './params.js';

const schema = {
  weight: numberParam({ default: 2, min: 0, max: 10, doc: 'a weight' }),
  strict: booleanParam({ default: false, doc: 'a switch' }),
};

describe('parseParams', () => {
  it('applies defaults to absent (or undefined) fields and keeps given ones', () => {
    expect(parseParams(schema, undefined, 'p')).toEqual({ ok: true, value: { weight: 2, strict: false } });
    expect(parseParams(schema, { weight: undefined, strict: true }, 'p')).toEqual({
      ok: true,
      value: { weight: 2, strict: true },
    });
    expect(parseParams(schema, { weight: 10 }, 'p')).toEqual({ ok: true, value: { weight: 10, strict: false } });
  });

  it.each([
    [{ weight: -1 }, ['p.weight: must be ≥ 0 (got -1)']],
    [{ weight: 11 }, ['p.weight: must be ≤ 10 (got 11)']],
    [{ weight: '3' }, ['p.weight: must be a finite number']],
    [{ weight: Number.NaN }, ['p.weight: must be a finite number']],
    [{ weight: Number.POSITIVE_INFINITY }, ['p.weight: must be a finite number']],
    [{ strict: 'yes' }, ['p.strict: must be true or false']],
    // Unknown keys come first, one line each, then the fields in schema order.
    [
      { strict: 1, weight: -2, extra: 1, more: 2 },
      [
        'p.extra: unknown parameter (valid: weight, strict)',
        'p.more: unknown parameter (valid: weight, strict)',
        'p.weight: must be ≥ 0 (got -2)',
        'p.strict: must be true or false',
      ],
    ],
    [5, ['p: must be an object']],
    [null, ['p: must be an object']],
    [[1], ['p: must be an object']],
  ])('%j → %j', (input, errors) => {
    expect(parseParams(schema, input, 'p')).toEqual({ ok: false, errors });
  });

  it('lists no valid names for a schema without parameters', () => {
    expect(parseParams({}, { x: 1 }, 'p')).toEqual({ ok: false, errors: ['p.x: unknown parameter (valid: none)'] });
  });
});
