import { describe, expect, it } from 'vitest';
import { parseAzureTimestamp, secondsBetween } from './azure-timestamp.js';

describe('parseAzureTimestamp', () => {
  const differences: [string, string, number][] = [
    // Same second, fractions .9799600 and .0319600 one second apart: 1 + 0.032 − 0.97996 = 0.0520.
    ['2023-11-16 18:17:04.0319600', '2023-11-16 18:17:03.9799600', 0.052],
    // Across midnight: 00:00:00.1 − 23:59:59.9 = 0.2 s.
    ['2023-11-17 00:00:00.1000000', '2023-11-16 23:59:59.9000000', 0.2],
    // Whole hour, no fraction: 3600 s.
    ['2023-11-16 19:00:00', '2023-11-16 18:00:00', 3600],
    // 2024 is a leap year: Feb 28 → Mar 1 is two days = 172,800 s.
    ['2024-03-01 00:00:00.5', '2024-02-28 00:00:00.0', 172_800.5],
    // 100 ns resolution survives: the 7th fractional digit.
    ['2023-11-16 18:17:03.0000001', '2023-11-16 18:17:03.0000000', 1e-7],
  ];
  it.each(differences)('%s − %s = %f s', (a, b, seconds) => {
    const ta = parseAzureTimestamp(a);
    const tb = parseAzureTimestamp(b);
    expect(ta && tb && secondsBetween(ta, tb)).toBeCloseTo(seconds, 9);
  });

  it.each([
    '2023-02-30 00:00:00',
    '2023-11-16 24:00:00',
    '2023-11-16 18:60:00',
    '2023/11/16 18:00:00',
    '18:17:03',
    '',
    '2023-11-16 18:17:03.',
  ])('rejects %j', (text) => {
    expect(parseAzureTimestamp(text)).toBeUndefined();
  });
});
