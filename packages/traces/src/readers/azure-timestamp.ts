/**
 * An Azure trace timestamp `YYYY-MM-DD HH:MM:SS[.fffffff]` (no time zone; read as UTC, which only
 * matters for differences). Kept as whole seconds since the epoch plus a fraction so that
 * differences keep sub-microsecond precision: ms-since-epoch × 1e4 would exceed 2^53.
 */
export interface AzureTimestamp {
  readonly wholeSeconds: number;
  /** In [0, 1). */
  readonly fractionSeconds: number;
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** Returns undefined when the text is not a valid timestamp (bad shape or impossible date/time). */
export function parseAzureTimestamp(text: string): AzureTimestamp | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  // Date.UTC silently rolls 2023-02-30 over to March; reject such dates.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  const digits = m[7] ?? '';
  const fractionSeconds = digits === '' ? 0 : Number(digits) / 10 ** digits.length;
  return { wholeSeconds: ms / 1000, fractionSeconds };
}

/** a − b in seconds. */
export function secondsBetween(a: AzureTimestamp, b: AzureTimestamp): number {
  return a.wholeSeconds - b.wholeSeconds + (a.fractionSeconds - b.fractionSeconds);
}
