import type { z } from 'zod';
import { fail, ok } from '../errors.js';
import type { FieldIssue, Result } from '../types.js';

/**
 * Runs a zod schema over untrusted JSON and answers a Result: the value, or INVALID_ARGUMENT listing every
 * problem at once by its dotted path (`moe.topK`, `(root)` for the value itself):
 *
 *   invalid model (2 problems):
 *     numLayers: must be an integer ≥ 1, got 0
 *     moe.topK: must be an integer ≥ 1 and ≤ numExperts (8), got 9
 */
export function parseWith<T>(schema: z.ZodType<T>, json: unknown, what: string): Result<T> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return ok(parsed.data);
  const issues = fieldIssues(parsed.error.issues);
  const lines = issues.map((issue) => `${issue.path}: ${issue.message}`);
  return fail({
    code: 'INVALID_ARGUMENT',
    message: `invalid ${what} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`,
    issues,
  });
}

/**
 * Zod issues as FieldIssues, in reading order: one issue per unknown key, listed before the other problems
 * of the same object (zod reports them last); a union that the value matched by type (a string, or an
 * object) reports that branch's problems rather than zod's "Invalid input".
 */
export function fieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return collect(issues, []).map(({ path, message }) => ({ path: dotted(path), message }));
}

interface RawIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

function collect(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const inside = (o: RawIssue) => o.path.length > path.length && path.every((key, i) => o.path[i] === key);
      const at = out.findIndex(inside);
      const unknown = issue.keys.map((key) => ({ path: [...path, key], message: issue.message }));
      out.splice(at < 0 ? out.length : at, 0, ...unknown);
    } else if (issue.code === 'invalid_union') {
      const typeMismatch = (branch: readonly z.core.$ZodIssue[]) =>
        branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0);
      const matched = issue.errors.filter((branch) => !typeMismatch(branch));
      if (matched.length === 1) out.push(...collect(matched[0] ?? [], path));
      else out.push({ path, message: issue.message });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** `moe.topK`, `items[2].id`; `(root)` for the value itself. */
function dotted(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}
