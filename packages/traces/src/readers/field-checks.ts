/**
 * Field validators shared by the line parsers. Each returns the checked value or throws a
 * FieldProblem, which the parsers turn into a TraceLineIssue value (the throw never escapes a parser).
 */
export class FieldProblem {
  constructor(
    readonly field: string | undefined,
    readonly reason: string,
    readonly code: 'invalid-line' | 'invalid-field' | 'invalid-header' = 'invalid-field',
  ) {}
}

/** Short rendering of a bad value for messages (long arrays/strings are cut). */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON.stringify gives undefined only for functions and symbols, which parsed input never holds.
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function requireRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldProblem(undefined, `expected a JSON object, got ${show(value)}`, 'invalid-line');
  }
  return value as Record<string, unknown>;
}

/** A nested JSON object at `field` (a path such as `turns[2].llm_calls[0].tokens`). */
export function checkRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === undefined ? 'it is missing' : `got ${show(value)}`;
    throw new FieldProblem(field, `must be a JSON object, ${got}`);
  }
  return value as Record<string, unknown>;
}

/** A JSON array at `field`. */
export function checkArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) {
    const got = value === undefined ? 'it is missing' : `got ${show(value)}`;
    throw new FieldProblem(field, `must be an array, ${got}`);
  }
  return value;
}

export function parseJsonLine(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new FieldProblem(undefined, `not valid JSON (${(err as Error).message})`, 'invalid-line');
  }
  return requireRecord(value);
}

/** An integer ≥ min (safe integer range). */
export function requireInteger(obj: Record<string, unknown>, field: string, min: number): number {
  return checkInteger(obj[field], field, min);
}

export function checkInteger(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const got = value === undefined ? 'it is missing' : `got ${show(value)}`;
    throw new FieldProblem(field, `must be an integer ≥ ${min}, ${got}`);
  }
  return value;
}

/** A finite number ≥ min. */
export function requireNumber(obj: Record<string, unknown>, field: string, min: number): number {
  return checkNumber(obj[field], field, min);
}

export function checkNumber(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    const got = value === undefined ? 'it is missing' : `got ${show(value)}`;
    throw new FieldProblem(field, `must be a number ≥ ${min}, ${got}`);
  }
  return value;
}

export function optionalNumber(obj: Record<string, unknown>, field: string, min: number): number | undefined {
  return obj[field] === undefined || obj[field] === null ? undefined : requireNumber(obj, field, min);
}

export function optionalInteger(obj: Record<string, unknown>, field: string, min: number): number | undefined {
  return obj[field] === undefined || obj[field] === null ? undefined : requireInteger(obj, field, min);
}

export function requireString(obj: Record<string, unknown>, field: string): string {
  return checkString(obj[field], field);
}

export function checkString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    const got = value === undefined ? 'it is missing' : `got ${show(value)}`;
    throw new FieldProblem(field, `must be a non-empty string, ${got}`);
  }
  return value;
}

export function optionalString(obj: Record<string, unknown>, field: string): string | undefined {
  return obj[field] === undefined || obj[field] === null ? undefined : requireString(obj, field);
}

/**
 * Block ids: a JSON array of non-negative integers (or non-empty strings when `allowStrings`),
 * exactly ceil(inputTokens / blockTokens) long, because each id covers `blockTokens` tokens and
 * the last block may be partial.
 */
export function requireBlockHashes(
  value: unknown,
  field: string,
  inputTokens: number,
  inputField: string,
  blockTokens: number,
  allowStrings: boolean,
): (number | string)[] {
  if (!Array.isArray(value)) {
    const got = value === undefined ? 'it is missing' : `got ${show(value)}`;
    throw new FieldProblem(field, `must be an array of block ids, ${got}`);
  }
  for (let i = 0; i < value.length; i++) {
    const id: unknown = value[i];
    const okNumber = typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
    const okString = allowStrings && typeof id === 'string' && id.length > 0;
    if (!okNumber && !okString) {
      const want = allowStrings ? 'a non-negative integer or non-empty string' : 'a non-negative integer';
      throw new FieldProblem(`${field}[${i}]`, `must be ${want}, got ${show(id)}`);
    }
  }
  const expected = Math.ceil(inputTokens / blockTokens);
  if (value.length !== expected) {
    throw new FieldProblem(
      field,
      `has ${value.length} ids but ${inputField} ${inputTokens} needs ceil(${inputTokens}/${blockTokens}) = ${expected}`,
    );
  }
  return value as (number | string)[];
}
