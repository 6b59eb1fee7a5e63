// A simulated run (the cluster twin, `oicf simulate`: meta.targetKind 'sim') beside a real one of the same
// trace: each figure's simulated and real value and the twin's error. Latencies and rates: relative error
// (sim − real) ÷ real; the prefix-hit ratio: the difference in percentage points.
import { formatNumber, formatPercent, formatSeconds, type TableData } from '@oicf/plot';
import type { ReplayRun } from './replay-record.js';
import type { ReplaySummary } from './replay-summary.js';

/** A run and its summary (render-comparison's ComparedRun, structurally). */
interface ComparedRun {
  readonly run: ReplayRun;
  readonly summary: ReplaySummary;
}

export interface FigureError {
  readonly figure: string;
  readonly real: number | null;
  readonly sim: number | null;
  /** (sim − real) ÷ real, or sim − real for a ratio (`unit` 'points'); null when either is unknown. */
  readonly error: number | null;
  readonly unit: 'relative' | 'points';
  readonly format: 'seconds' | 'rate' | 'percent';
}

const FIGURES: readonly {
  readonly figure: string;
  readonly pick: (s: ReplaySummary) => number | null | undefined;
  readonly format: FigureError['format'];
}[] = [
  { figure: 'TTFT p50', pick: (s) => s.ttft?.p50Seconds, format: 'seconds' },
  { figure: 'TTFT p90', pick: (s) => s.ttft?.p90Seconds, format: 'seconds' },
  { figure: 'TTFT p99', pick: (s) => s.ttft?.p99Seconds, format: 'seconds' },
  { figure: 'TPOT p50', pick: (s) => s.tpot?.p50Seconds, format: 'seconds' },
  { figure: 'TPOT p90', pick: (s) => s.tpot?.p90Seconds, format: 'seconds' },
  { figure: 'throughput req/s', pick: (s) => s.throughput.requestsPerSecond, format: 'rate' },
  { figure: 'throughput output tok/s', pick: (s) => s.throughput.outputTokensPerSecond, format: 'rate' },
  { figure: 'goodput req/s', pick: (s) => s.goodput.requestsPerSecond, format: 'rate' },
  { figure: 'prefix hit ratio', pick: (s) => s.prefix.hitRatio, format: 'percent' },
];

export function simVsReal(real: ReplaySummary, sim: ReplaySummary): FigureError[] {
  return FIGURES.map(({ figure, pick, format }) => {
    const r = pick(real) ?? null;
    const s = pick(sim) ?? null;
    const unit = format === 'percent' ? 'points' : 'relative';
    let error: number | null = null;
    if (r !== null && s !== null) {
      if (unit === 'points') error = s - r;
      else if (r !== 0) error = (s - r) / r;
    }
    return { figure, real: r, sim: s, error, unit, format };
  });
}

/** The one real run and the simulated ones of a comparison, when it has both kinds. */
export function simAndReal(entries: readonly ComparedRun[]): { real: ComparedRun; sims: ComparedRun[] } | undefined {
  const reals = entries.filter((e) => e.run.meta.targetKind !== 'sim');
  const sims = entries.filter((e) => e.run.meta.targetKind === 'sim');
  const real = reals[0];
  return real !== undefined && reals.length === 1 && sims.length > 0 ? { real, sims } : undefined;
}

function value(v: number | null, format: FigureError['format']): string {
  if (v === null) return 'n/a';
  if (format === 'seconds') return formatSeconds(v);
  if (format === 'percent') return formatPercent(v);
  return formatNumber(v);
}

function errorText(e: FigureError): string {
  if (e.error === null) return 'n/a';
  if (e.unit === 'points') return `${e.error >= 0 ? '+' : ''}${(100 * e.error).toFixed(1)} pts`;
  return `${e.error >= 0 ? '+' : ''}${(100 * e.error).toFixed(1)}%`;
}

/** figure | real | sim (label) | error, one error column per simulated run. */
export function simVsRealTable(real: ComparedRun, sims: readonly ComparedRun[]): TableData {
  const errors = sims.map((s) => simVsReal(real.summary, s.summary));
  const headers = [
    'figure',
    `real (${real.summary.label})`,
    ...sims.flatMap((s) => [`sim (${s.summary.label})`, 'error']),
  ];
  return {
    columns: headers.map((header, i) => ({ header, align: i === 0 ? 'left' : 'right' })),
    rows: FIGURES.map((f, i) => {
      const first = errors[0]?.[i];
      return [
        f.figure,
        first === undefined ? 'n/a' : value(first.real, f.format),
        ...errors.flatMap((e) => {
          const row = e[i] as FigureError;
          return [value(row.sim, f.format), errorText(row)];
        }),
      ];
    }),
  };
}
