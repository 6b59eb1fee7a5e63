import { type AzureTimestamp, parseAzureTimestamp } from './azure-timestamp.js';

const ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO-8601 timestamp as the Copilot coding-agent dataset writes it (its loader reads them with
 * pandas.to_datetime): `YYYY-MM-DD[T ]HH:MM:SS[.f…]` with 1–9 fractional digits and an optional zone
 * (`Z`, `±HH:MM`, `±HHMM`); no zone means UTC. Returned as whole seconds plus a fraction, like the
 * Azure timestamps, so differences keep sub-microsecond precision. Undefined when the text is not
 * such a timestamp or names an impossible date.
 */
export function parseIsoTimestamp(text: string): AzureTimestamp | undefined {
  const trimmed = text.trim();
  const zone = ZONE.exec(trimmed);
  const local = parseAzureTimestamp(zone === null ? trimmed : trimmed.slice(0, zone.index));
  if (local === undefined) return undefined;
  const offsetSeconds = zone === null ? 0 : zoneOffsetSeconds(zone[1] as string);
  if (offsetSeconds === undefined) return undefined;
  return { wholeSeconds: local.wholeSeconds - offsetSeconds, fractionSeconds: local.fractionSeconds };
}

function zoneOffsetSeconds(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 3600 + minutes * 60);
}

/** Midnight UTC of a `YYYY-MM-DD` date, undefined for anything else. */
export function parseUtcDate(text: string): AzureTimestamp | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseAzureTimestamp(`${text} 00:00:00`) : undefined;
}
