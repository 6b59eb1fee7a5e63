// Plugin parameters: each field is a zod schema with its default, range and doc, built by `numberParam`
// or `booleanParam` so every field says what is wrong in the same words. `parseParams` validates a
// whole object at once and reports every bad field by its path, unknown keys first.
import { z } from 'zod';

/** One parameter: a zod schema whose output is the value (its default applied). */
export type ParamField = z.ZodType<number | boolean, unknown>;

export type ParamSchema = Readonly<Record<string, ParamField>>;

export type ParamValues<S extends ParamSchema> = { readonly [K in keyof S]: z.output<S[K]> };

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: string[] };

/** A finite number in [min, max] (both optional, inclusive), `default` when absent. */
export function numberParam(o: { default: number; min?: number; max?: number; doc: string }) {
  let n = z.number({ error: 'must be a finite number' });
  if (o.min !== undefined) {
    const min = o.min;
    n = n.min(min, { error: (iss) => `must be ≥ ${min} (got ${String(iss.input)})` });
  }
  if (o.max !== undefined) {
    const max = o.max;
    n = n.max(max, { error: (iss) => `must be ≤ ${max} (got ${String(iss.input)})` });
  }
  return n.default(o.default).describe(o.doc);
}

export function booleanParam(o: { default: boolean; doc: string }) {
  return z.boolean({ error: 'must be true or false' }).default(o.default).describe(o.doc);
}

/**
 * Validates `input` (untrusted, e.g. from a config file) against `schema`; `prefix` names the location in
 * error messages ("router.policy.params"). `undefined` reads as `{}`; unknown keys are errors.
 */
export function parseParams<S extends ParamSchema>(
  schema: S,
  input: unknown,
  prefix: string,
): ParseResult<ParamValues<S>> {
  const parsed = z.strictObject(schema).safeParse(input === undefined ? {} : input);
  if (parsed.success) return { ok: true, value: parsed.data as ParamValues<S> };
  const valid = Object.keys(schema).join(', ') || 'none';
  const unknown: string[] = [];
  const byField: string[] = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) unknown.push(`${prefix}.${key}: unknown parameter (valid: ${valid})`);
    } else if (issue.path.length === 0) {
      return { ok: false, errors: [`${prefix}: must be an object`] };
    } else {
      byField.push(`${prefix}.${issue.path.map(String).join('.')}: ${issue.message}`);
    }
  }
  return { ok: false, errors: [...unknown, ...byField] };
}
