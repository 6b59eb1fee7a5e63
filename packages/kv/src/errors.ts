/**
 * The one error type this pure package throws. Expected outcomes (a miss, a full tier, an
 * unknown lease) are returned as values; KvError is thrown only for bad input at a public
 * entry point or a broken invariant.
 *
 * The codes are a subset of the project-wide closed list in `@oicf/transport` (same
 * spelling), so the service edge maps a KvError onto an OicfError one to one.
 */
export const KV_ERROR_CODES = ['INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED', 'CHECKSUM_MISMATCH', 'INTERNAL'] as const;
export type KvErrorCode = (typeof KV_ERROR_CODES)[number];

export class KvError extends Error {
  override readonly name = 'KvError';
  /** Closed-list code; see KV_ERROR_CODES. */
  readonly code: KvErrorCode;
  /** Path of the offending field or argument, e.g. `options.blockTokens`, when there is one. */
  readonly field: string | undefined;

  constructor(code: KvErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

/** Throws INVALID_ARGUMENT unless `value` is an integer in [min, max]. */
export function requireInteger(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new KvError(
      'INVALID_ARGUMENT',
      `${field} must be an integer in [${min}, ${max}], got ${describe(value)}`,
      field,
    );
  }
  return value;
}

/** Short, safe rendering of an offending value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}
