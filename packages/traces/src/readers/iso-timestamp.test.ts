import { describe, expect, it } from 'vitest';
import { secondsBetween } from './azure-timestamp.js';
import { parseIsoTimestamp, parseUtcDate } from './iso-timestamp.js';

describe('parseIsoTimestamp', () => {
  // Seconds after 2026-06-01T00:00:00Z.
  const midnight = parseUtcDate('2026-06-01');
  it.each([
    ['2026-06-01T10:00:00Z', 36_000],
    ['2026-06-01T10:00:00.125Z', 36_000.125],
    ['2026-06-01 10:00:00.1234567', 36_000.1234567],
    // 11:00:31.5 at +01:00 is 10:00:31.5 UTC; 05:00 at -05:30 is 10:30 UTC.
    ['2026-06-01T11:00:31.5+01:00', 36_031.5],
    ['2026-06-01T05:00:00-0530', 37_800],
    // Past midnight: 2026-06-02 00:00:01 is 86,401 s after 06-01.
    ['2026-06-02T00:00:01z', 86_401],
  ])('%s → %f s after midnight', (text, seconds) => {
    const stamp = parseIsoTimestamp(text);
    if (stamp === undefined || midnight === undefined) throw new Error('expected a timestamp');
    expect(secondsBetween(stamp, midnight)).toBeCloseTo(seconds, 7);
  });

  it.each(['2026-06-31T00:00:00Z', '2026-06-01', '10:00:00Z', '2026-06-01T10:00:00+25:00', '2026-06-01T10:00Z'])(
    'rejects %j',
    (text) => {
      expect(parseIsoTimestamp(text)).toBeUndefined();
    },
  );

  it('parses only plain dates as dates', () => {
    expect(parseUtcDate('2026-06-01T00:00:00Z')).toBeUndefined();
    expect(parseUtcDate('2026-02-30')).toBeUndefined();
  });
});
