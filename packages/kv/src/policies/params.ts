import { describe } from '../errors.js';
import type { ParamSchema } from './policy.js';

export type ParsedParams =
  | { readonly ok: true; readonly params: Record<string, unknown> }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Validates untrusted policy parameters against a schema by hand (no dependencies): fills
 * defaults, rejects unknown keys, and reports every bad field at once as `path.field: why`.
 */
export function parsePolicyParams(schema: ParamSchema, raw: unknown, path = 'params'): ParsedParams {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: [`${path}: must be an object, got ${describe(raw)}`] };
  }
  const input = raw as Record<string, unknown>;
  const errors: string[] = [];
  const params: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (!(key in schema)) {
      const known = Object.keys(schema);
      errors.push(`${path}.${key}: unknown parameter; valid: ${known.length > 0 ? known.join(', ') : '(none)'}`);
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    const value = input[key];
    if (value === undefined) {
      params[key] = spec.default;
      continue;
    }
    if (spec.kind === 'function') {
      if (typeof value !== 'function') errors.push(`${path}.${key}: must be a function, got ${describe(value)}`);
      else params[key] = value;
      continue;
    }
    if (typeof value !== 'number' || Number.isNaN(value)) {
      errors.push(`${path}.${key}: must be a number, got ${describe(value)}`);
      continue;
    }
    const problems: string[] = [];
    if (spec.integer === true && !Number.isInteger(value)) problems.push('an integer');
    if (spec.min !== undefined) {
      if (spec.exclusiveMin === true ? !(value > spec.min) : !(value >= spec.min)) {
        problems.push(`${spec.exclusiveMin === true ? '>' : '≥'} ${spec.min}`);
      }
    }
    if (spec.max !== undefined && !(value <= spec.max)) problems.push(`≤ ${spec.max}`);
    if (problems.length > 0) errors.push(`${path}.${key}: must be ${problems.join(' and ')}, got ${describe(value)}`);
    else params[key] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, params };
}
