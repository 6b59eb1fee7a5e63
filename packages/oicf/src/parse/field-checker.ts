import { fail, ok } from '../errors.js';
import type { FieldIssue, Result } from '../types.js';

type Json = Record<string, unknown>;

interface NumberRule {
  readonly min?: number;
  /** Strictly greater than. */
  readonly above?: number;
  readonly max?: number | undefined;
  /** Names the field `max` comes from, e.g. 'numExperts' → "≤ numExperts (8)". */
  readonly maxLabel?: string;
  readonly integer?: boolean;
}

/** Collects every problem of an untrusted object instead of stopping at the first. Each check
 * returns the value when valid (or the default when absent and one is given) and records an issue
 * named by its dotted path otherwise. */
export class FieldChecker {
  readonly issues: FieldIssue[] = [];

  issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** `value` as a plain object, or an issue at `path` ('(root)' for the top level). */
  object(value: unknown, path: string): Json | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
    this.issue(path || '(root)', `must be an object, got ${describe(value)}`);
    return undefined;
  }

  /** Records `unknown field` for keys outside `known` (catches typos such as numLayer). */
  noUnknownKeys(obj: Json, known: readonly string[], prefix: string): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) this.issue(join(prefix, key), `unknown field; valid: ${known.join(', ')}`);
    }
  }

  string(obj: Json, key: string, prefix: string, fallback?: string): string | undefined {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && value.length > 0) return value;
    this.issue(join(prefix, key), `must be a non-empty string, got ${describe(value)}`);
    return undefined;
  }

  boolean(obj: Json, key: string, prefix: string, fallback?: boolean): boolean | undefined {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.issue(join(prefix, key), `must be true or false, got ${describe(value)}`);
    return undefined;
  }

  number(obj: Json, key: string, prefix: string, rule: NumberRule, fallback?: number): number | undefined {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    const path = join(prefix, key);
    const kind = rule.integer ? 'an integer' : 'a number';
    if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
      this.issue(path, `must be ${kind}${bounds(rule)}, got ${describe(value)}`);
      return undefined;
    }
    const tooLow = (rule.min !== undefined && value < rule.min) || (rule.above !== undefined && value <= rule.above);
    const tooHigh = rule.max !== undefined && value > rule.max;
    if (tooLow || tooHigh) {
      this.issue(path, `must be ${kind}${bounds(rule)}, got ${value}`);
      return undefined;
    }
    return value;
  }

  /** ok(value) when no issue was recorded, else INVALID_ARGUMENT listing every issue. */
  result<T>(what: string, build: () => T): Result<T> {
    if (this.issues.length === 0) return ok(build());
    const lines = this.issues.map((issue) => `${issue.path}: ${issue.message}`);
    return fail({
      code: 'INVALID_ARGUMENT',
      message: `invalid ${what} (${this.issues.length} problem${this.issues.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`,
      issues: this.issues,
    });
  }
}

export function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

function bounds(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(rule.maxLabel ? `≤ ${rule.maxLabel} (${rule.max})` : `≤ ${rule.max}`);
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}
