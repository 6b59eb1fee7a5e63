// Length limits on every client-chosen id and the session TTL cap, checked by the front doors before any
// other work (docs/reliability.md, "bounded everything"). A client id is a label: the router assigns the
// request id every worker, log line and cancel uses, so a client can name nothing that belongs to another.
import { describeValue, invalid, type Parsed } from './generate-input.js';

/** Longest id a client may send (request_id label, session_id, user), in characters. */
export const MAX_CLIENT_ID_CHARS = 256;

/** An optional id field: absent/'' is fine; a string of at most MAX_CLIENT_ID_CHARS; anything else names `field`. */
export function checkClientId(field: string, value: unknown): Parsed<string> {
  if (value === undefined || value === null) return { ok: true, value: '' };
  if (typeof value !== 'string') return invalid(field, `${field} must be a string, got ${describeValue(value)}`);
  if (value.length > MAX_CLIENT_ID_CHARS) {
    return invalid(
      field,
      `${field} is ${value.length} characters; at most ${MAX_CLIENT_ID_CHARS} are accepted (it is only a label)`,
    );
  }
  return { ok: true, value };
}

/**
 * A client-chosen session TTL: ≥ 0 and at most `maxSeconds` (the router's maxSessionTtlSeconds), so a
 * client cannot pin KV in the pool for days. `field` names it as the door spells it.
 */
export function checkSessionTtl(field: string, seconds: number, maxSeconds: number | undefined): Parsed<number> {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return invalid(field, `${field} must be a number of seconds ≥ 0, got ${describeValue(seconds)}`);
  }
  if (maxSeconds !== undefined && seconds > maxSeconds) {
    return invalid(field, `${field} is ${seconds} s; this router keeps a session's KV at most ${maxSeconds} s`);
  }
  return { ok: true, value: seconds };
}
