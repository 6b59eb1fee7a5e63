import { describe, expect, it } from 'vitest';
import { formatBytes, formatNumber, formatPercent, formatSeconds, formatSi, formatValue } from './format.js';

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [295.2239, '295'],
    [0.1, '0.1'],
    [1234.5, '1230'],
    [-2.5, '−2.5'],
    [1e-7, '1e−7'],
    [12_345_678, '1.23e7'],
    [Number.POSITIVE_INFINITY, '∞'],
    [Number.NaN, 'NaN'],
  ])('%s → %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});

describe('formatSi', () => {
  it.each([
    // 989 TFLOP/s is the H100 SXM dense bf16 peak; 3.35 TB/s its HBM3 bandwidth.
    [989e12, 'FLOP/s', '989 TFLOP/s'],
    [3.35e12, 'B/s', '3.35 TB/s'],
    [1500, '', '1.5k'],
    [1e9, '', '1G'],
    [295.22, 'FLOP/B', '295 FLOP/B'],
    [0.1, '', '0.1'],
    // 999.96 rounds to 1000 at three digits and must move to the next prefix.
    [999_960, 'B/s', '1 MB/s'],
    [2.5e-6, 's', '2.5 µs'],
    [0, 'FLOP/s', '0 FLOP/s'],
  ])('%s %s → %s', (value, unit, text) => {
    expect(formatSi(value, unit)).toBe(text);
  });
});

describe('formatBytes', () => {
  it.each([
    [512, '512 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    // Llama-3.1-70B bf16 KV bytes per token: 2 (K,V) · 80 layers · 8 KV heads · 128 dims · 2 bytes = 327,680 = 320 KiB.
    [327_680, '320 KiB'],
    [2 ** 30, '1 GiB'],
    // 80 GB (decimal, the H100 spec) = 80e9 / 2^30 = 74.506 GiB.
    [80e9, '74.5 GiB'],
    // Just under 1 MiB stays in KiB, rounded to three digits.
    [1023.9 * 1024, '1020 KiB'],
    [0, '0 B'],
  ])('%s → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatSeconds / formatPercent / formatValue', () => {
  it.each([
    [0.0025, '2.5 ms'],
    [0.001, '1 ms'],
    [0.5, '500 ms'],
    [3, '3 s'],
    [4500, '4,500 s'],
    [2e-6, '2 µs'],
  ])('seconds %s → %s', (s, text) => {
    expect(formatSeconds(s)).toBe(text);
  });
  it('percent and dispatch', () => {
    expect(formatPercent(0.995)).toBe('99.5%');
    expect(formatValue(2 ** 20, 'bytes')).toBe('1 MiB');
    expect(formatValue(12, 'plain', 'req/s')).toBe('12 req/s');
    expect(formatValue(2e12, 'si', 'FLOP/s')).toBe('2 TFLOP/s');
    expect(formatValue(0.25, 'percent')).toBe('25%');
    expect(formatValue(0.02, 'seconds')).toBe('20 ms');
  });
});
