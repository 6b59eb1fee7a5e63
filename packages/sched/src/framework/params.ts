// A tiny parameter schema for plugins: numbers and booleans with ranges and defaults, validated
// by hand so every bad field is reported at once with its path.

export type ParamField =
  | {
      readonly type: 'number';
      readonly default: number;
      readonly min?: number;
      readonly max?: number;
      readonly doc: string;
    }
  | { readonly type: 'boolean'; readonly default: boolean; readonly doc: string };

export type ParamSchema = Readonly<Record<string, ParamField>>;

export type ParamValues<S extends ParamSchema> = {
  readonly [K in keyof S]: S[K] extends { type: 'number' } ? number : boolean;
};

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: string[] };

/** Validates `input` (untrusted, e.g. from a config file) against `schema`; `prefix` names the
 * location in error messages ("router.policy.params"). Unknown keys are errors. */
export function parseParams<S extends ParamSchema>(
  schema: S,
  input: unknown,
  prefix: string,
): ParseResult<ParamValues<S>> {
  const errors: string[] = [];
  const out: Record<string, number | boolean> = {};
  const given = input === undefined ? {} : input;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    return { ok: false, errors: [`${prefix}: must be an object`] };
  }
  const record = given as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(key in schema))
      errors.push(`${prefix}.${key}: unknown parameter (valid: ${Object.keys(schema).join(', ') || 'none'})`);
  }
  for (const [key, field] of Object.entries(schema)) {
    const value = record[key];
    if (value === undefined) {
      out[key] = field.default;
      continue;
    }
    if (field.type === 'boolean') {
      if (typeof value !== 'boolean') errors.push(`${prefix}.${key}: must be true or false`);
      else out[key] = value;
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      errors.push(`${prefix}.${key}: must be a finite number`);
    } else if (field.min !== undefined && value < field.min) {
      errors.push(`${prefix}.${key}: must be ≥ ${field.min} (got ${value})`);
    } else if (field.max !== undefined && value > field.max) {
      errors.push(`${prefix}.${key}: must be ≤ ${field.max} (got ${value})`);
    } else {
      out[key] = value;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: out as ParamValues<S> };
}
