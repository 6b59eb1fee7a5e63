/**
 * Number formatting for tick labels, tooltips and tables. Values keep three
 * significant digits; prefixes follow SI (k = 10^3) for rates and counts and IEC
 * (KiB = 2^10) for bytes, since memory capacities are binary.
 */

/** How an axis or a table column prints its values. */
export type ValueFormat = 'plain' | 'si' | 'bytes' | 'seconds' | 'percent';

const SI_PREFIXES: ReadonlyArray<readonly [number, string]> = [
  [-12, 'p'],
  [-9, 'n'],
  [-6, 'µ'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
];

const IEC_PREFIXES = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** Rounds to `significant` digits and prints without trailing zeros or exponent for everyday magnitudes. */
export function formatNumber(value: number, significant = 3): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(significant));
  const abs = Math.abs(rounded);
  if (abs >= 1e-4 && abs < 1e6) return String(rounded).replace('-', '−');
  const [mantissa, exponent] = rounded.toExponential(significant - 1).split('e');
  return `${String(Number(mantissa))}e${Number(exponent)}`.replace(/-/g, '−');
}

/**
 * SI-prefixed value: `formatSi(989e12, 'FLOP/s')` → "989 TFLOP/s", `formatSi(1500)` → "1.5k".
 * Values in [10^-3, 10^3) print without prefix ("0.1", "295"), so intensities stay readable.
 */
export function formatSi(value: number, unit = '', significant = 3): string {
  const sep = unit === '' ? '' : ' ';
  if (!Number.isFinite(value) || value === 0) return `${formatNumber(value)}${sep}${unit}`;
  const rounded = Number(value.toPrecision(significant));
  const abs = Math.abs(rounded);
  let exponent = 0;
  if (abs >= 1e3 || abs < 1e-3) {
    exponent = Math.floor(Math.log10(abs) / 3) * 3;
    exponent = Math.max(-12, Math.min(18, exponent));
  }
  const prefix = SI_PREFIXES.find(([e]) => e === exponent)?.[1] ?? '';
  const mantissa = formatNumber(rounded / 10 ** exponent, significant);
  return unit === '' ? `${mantissa}${prefix}` : `${mantissa} ${prefix}${unit}`;
}

/** IEC bytes: 1024 → "1 KiB", 80e9 → "74.5 GiB", 512 → "512 B". */
export function formatBytes(bytes: number, significant = 3): string {
  if (!Number.isFinite(bytes) || bytes === 0) return `${formatNumber(bytes)} B`;
  let power = 0;
  let mantissa = Math.abs(bytes);
  while (mantissa >= 1024 && power < IEC_PREFIXES.length - 1) {
    mantissa /= 1024;
    power += 1;
  }
  const sign = bytes < 0 ? '−' : '';
  return `${sign}${formatNumber(mantissa, significant)} ${IEC_PREFIXES[power]}`;
}

/** Durations: 0.0025 → "2.5 ms", 3 → "3 s"; from 1000 s on, whole seconds with grouping ("4,500 s"), never "ks". */
export function formatSeconds(seconds: number, significant = 3): string {
  if (!Number.isFinite(seconds) || seconds === 0) return `${formatNumber(seconds)} s`;
  const abs = Math.abs(seconds);
  if (abs >= 1000) return `${Math.round(seconds).toLocaleString('en-US')} s`;
  if (abs >= 1) return `${formatNumber(seconds, significant)} s`;
  // Sub-second: milli, micro, nano, pico (the SI formatter keeps 0.001..1 unprefixed, which reads badly for time).
  const rounded = Number(seconds.toPrecision(significant));
  const exponent = Math.max(-12, Math.floor(Math.log10(Math.abs(rounded)) / 3) * 3);
  if (exponent >= 0) return `${formatNumber(rounded, significant)} s`;
  const prefix = SI_PREFIXES.find(([e]) => e === exponent)?.[1] ?? '';
  return `${formatNumber(rounded / 10 ** exponent, significant)} ${prefix}s`;
}

/** A fraction in [0, 1] as a percentage: 0.995 → "99.5%". */
export function formatPercent(fraction: number, significant = 3): string {
  return `${formatNumber(fraction * 100, significant)}%`;
}

/** Dispatches on a {@link ValueFormat}; `unit` is appended for 'plain' and 'si'. */
export function formatValue(value: number, format: ValueFormat, unit = ''): string {
  switch (format) {
    case 'si':
      return formatSi(value, unit);
    case 'bytes':
      return formatBytes(value);
    case 'seconds':
      return formatSeconds(value);
    case 'percent':
      return formatPercent(value);
    case 'plain':
      return unit === '' ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
  }
}
