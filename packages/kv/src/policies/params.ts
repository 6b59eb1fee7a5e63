import { type ZodType, z } from 'zod';
import { describe } from '../errors.js';
import type { ParamSchema, ParamSpec } from './policy.js';

export type ParsedParams =
  | { readonly ok: true; readonly params: Record<string, unknown> }
  | { readonly ok: false; readonly errors: readonly string[] };

/** A zod issue message that names the whole problem ("must be a number"); others are bounds joined by "and". */
const WHOLE = 'must be ';

function specSchema(spec: ParamSpec): ZodType {
  if (spec.kind === 'function') {
    return z
      .custom((v) => typeof v === 'function', { error: (issue) => `${WHOLE}a function, got ${describe(issue.input)}` })
      .default(() => spec.default);
  }
  // Infinity is a number here (e.g. an uncapped count), NaN is not.
  let schema: ZodType<number> = z.custom<number>((v) => typeof v === 'number' && !Number.isNaN(v), {
    error: (issue) => `${WHOLE}a number, got ${describe(issue.input)}`,
    abort: true,
  });
  if (spec.integer === true) schema = schema.refine(Number.isInteger, { error: 'an integer' });
  const { min, max } = spec;
  if (min !== undefined) {
    schema =
      spec.exclusiveMin === true
        ? schema.refine((v) => v > min, { error: `> ${min}` })
        : schema.refine((v) => v >= min, { error: `≥ ${min}` });
  }
  if (max !== undefined) schema = schema.refine((v) => v <= max, { error: `≤ ${max}` });
  return schema.default(spec.default);
}

const compiled = new WeakMap<ParamSchema, ZodType<Record<string, unknown>>>();

/** The zod schema of a plugin's declared parameters: defaults filled, unknown keys refused. */
export function paramsZodSchema(schema: ParamSchema): ZodType<Record<string, unknown>> {
  let out = compiled.get(schema);
  if (out === undefined) {
    out = z.strictObject(Object.fromEntries(Object.entries(schema).map(([key, spec]) => [key, specSchema(spec)])));
    compiled.set(schema, out);
  }
  return out;
}

/**
 * Validates untrusted policy parameters against a plugin's declared schema (with zod): fills
 * defaults, rejects unknown keys, and reports every bad field at once as `path.field: why, got x`
 * (unknown keys first, then fields in schema order; every bound a value breaks, joined by "and").
 */
export function parsePolicyParams(schema: ParamSchema, raw: unknown, path = 'params'): ParsedParams {
  const input = raw === undefined || raw === null ? {} : raw;
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [`${path}: must be an object, got ${describe(input)}`] };
  }
  const parsed = paramsZodSchema(schema).safeParse(input);
  if (parsed.success) return { ok: true, params: parsed.data };
  const unknown: string[] = [];
  const byKey = new Map<string, string[]>();
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) unknown.push(key);
      continue;
    }
    const key = String(issue.path[0]);
    byKey.set(key, [...(byKey.get(key) ?? []), issue.message]);
  }
  const known = Object.keys(schema);
  const valid = known.length > 0 ? known.join(', ') : '(none)';
  const errors = unknown.map((key) => `${path}.${key}: unknown parameter; valid: ${valid}`);
  for (const key of known) {
    const messages = byKey.get(key);
    if (messages === undefined) continue;
    const whole = messages.find((m) => m.startsWith(WHOLE));
    const value = (input as Record<string, unknown>)[key];
    errors.push(`${path}.${key}: ${whole ?? `${WHOLE}${messages.join(' and ')}, got ${describe(value)}`}`);
  }
  return { ok: false, errors };
}
