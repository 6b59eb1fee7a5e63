import { z } from 'zod';

/**
 * Zod field builders whose messages say what was expected and what was found, in one house style:
 * `must be an integer ≥ 1 and ≤ numExperts (8), got 9`, `must be true or false, got nothing (missing)`,
 * `unknown field; valid: id, displayName, …`. Each schema carries its full rule in every message, so a
 * value that breaks one bound still reads the whole contract. zod-issues.ts turns the issues into paths.
 */

export interface NumberRule {
  readonly min?: number;
  /** Strictly greater than. */
  readonly above?: number;
  readonly max?: number;
  /** Names the field `max` comes from, e.g. 'numExperts' → "≤ numExperts (8)". */
  readonly maxLabel?: string;
  readonly integer?: boolean;
}

export const positiveInteger: NumberRule = { integer: true, min: 1 };
export const naturalNumber: NumberRule = { integer: true, min: 0 };
export const positiveReal: NumberRule = { above: 0 };

/** "must be an integer ≥ 1 and ≤ numExperts (8)": the contract a number field states in its messages. */
export function numberContract(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(rule.maxLabel ? `≤ ${rule.maxLabel} (${rule.max})` : `≤ ${rule.max}`);
  return `must be ${rule.integer ? 'an integer' : 'a number'}${parts.length > 0 ? ` ${parts.join(' and ')}` : ''}`;
}

/** A finite number (zod 4 rejects ±Infinity and NaN) under `rule`. */
export function numberField(rule: NumberRule) {
  const error = (issue: { readonly input?: unknown }) => `${numberContract(rule)}, got ${describe(issue.input)}`;
  let schema = z.number({ error });
  if (rule.integer) schema = schema.int({ error });
  if (rule.min !== undefined) schema = schema.min(rule.min, { error });
  if (rule.above !== undefined) schema = schema.gt(rule.above, { error });
  if (rule.max !== undefined) schema = schema.max(rule.max, { error });
  return schema;
}

/** A non-empty string. */
export function textField() {
  const error = (issue: { readonly input?: unknown }) => `must be a non-empty string, got ${describe(issue.input)}`;
  return z.string({ error }).min(1, { error });
}

/** true or false. */
export function flagField() {
  return z.boolean({ error: (issue) => `must be true or false, got ${describe(issue.input)}` });
}

/** One of `values`, e.g. `must be 'uniform' or 'log-uniform', got normal` (the bad string as written). */
export function choiceField<const T extends readonly [string, ...string[]]>(values: T) {
  const listed = values.map((v) => `'${v}'`);
  const text = listed.length === 2 ? listed.join(' or ') : `one of ${listed.join(', ')}`;
  return z.enum(values, {
    error: (issue) => `must be ${text}, got ${typeof issue.input === 'string' ? issue.input : describe(issue.input)}`,
  });
}

/** An object with exactly these fields: another key is `unknown field; valid: …` (catches typos such as numLayer). */
export function strictFields<S extends z.ZodRawShape>(shape: S) {
  const valid = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field; valid: ${valid}`
        : `must be an object, got ${describe(issue.input)}`,
  });
}

/** A value as a message shows it: `nothing (missing)`, `null`, `an array`, `'big'`, `0`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** `value` when it is a plain object (what a cross-field check reads, possibly with bad fields), else undefined. */
export function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `value` when it already satisfies `rule`, so a cross-field check never repeats a field's own problem. */
export function validNumber(value: unknown, rule: NumberRule): number | undefined {
  return numberField(rule).safeParse(value).success ? (value as number) : undefined;
}

/**
 * When a cross-field check runs: whenever the value is an object, even if some fields are bad, so every
 * problem is reported at once (zod would otherwise skip the check after the first bad field). The check
 * reads its inputs through validNumber and skips a relation whose inputs are themselves bad.
 */
export const ALWAYS_FOR_OBJECTS = {
  when: (payload: { readonly value: unknown }) => record(payload.value) !== undefined,
};
