import { fail, ok } from './errors.js';
import type { Result } from './types.js';

/** Finds `id` in a catalog, or returns NOT_FOUND listing every valid id:
 * `unknown model 'x'; valid: a, b, c`. Ids are matched exactly (catalog ids are lower-case). */
export function lookupById<T extends { readonly id: string }>(
  kind: string,
  entries: readonly T[],
  id: string,
): Result<T> {
  const found = entries.find((entry) => entry.id === id);
  if (found) return ok(found);
  const validIds = entries.map((entry) => entry.id);
  return fail({ code: 'NOT_FOUND', message: `unknown ${kind} '${id}'; valid: ${validIds.join(', ')}`, validIds });
}
