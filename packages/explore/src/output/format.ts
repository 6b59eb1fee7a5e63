// Number formats shared by the terminal table, the CSV and the HTML page.
import type { RegimeMix } from '../analytic/screen-types.js';

export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function seconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  return s >= 1 ? `${s.toFixed(2)} s` : `${Math.round(s * 1000)} ms`;
}

/** Three significant figures, plain (no exponent for everyday magnitudes). */
export function sig(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** `C 12% B 80% Cap 8%`. */
export function regimeText(m: RegimeMix): string {
  return `C ${pct(m.compute)} B ${pct(m.bandwidth)} Cap ${pct(m.capacity)}`;
}

/** `hbm 82%, optical-pool 18%` (largest first). */
export function tierText(shares: Readonly<Record<string, number>>): string {
  const entries = Object.entries(shares).filter(([, v]) => v >= 0.005);
  if (entries.length === 0) return '—';
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${pct(v)}`)
    .join(', ');
}
