import type { StepTimeFit } from '../src/step-time/index.js';

/** One point of set B priced by the fit to set A. */
export interface FidelityRow {
  readonly label: string;
  readonly measuredSeconds: number;
  readonly sessionRunSeconds: number;
  readonly analyticSeconds: number;
  readonly calibratedSeconds: number;
  /** (calibrated − measured) ÷ measured. */
  readonly error: number;
  readonly analyticError: number;
  readonly clean: boolean;
  /** Runs no other process competed with (run-quality.ts), of numRuns over the set's passes. */
  readonly cleanRuns: number;
  readonly numRuns: number;
  /** Median share of a run's time our threads waited for a CPU (schedstat); NaN without it. */
  readonly waitFraction: number;
  readonly loadAverage: number;
}

interface SetMeta {
  readonly startedAt: string;
  /** Per pass: 1-minute load average at its start and end. */
  readonly loadAverage: readonly (readonly number[])[];
  readonly numPoints: number;
}

export interface FidelityMeta {
  readonly sweep: string;
  readonly command: string;
  readonly numRuns: number;
  readonly numPasses: number;
  readonly extraRounds: number;
  readonly passA: SetMeta;
  readonly passB: SetMeta;
  readonly calibration: string;
  readonly fit: StepTimeFit;
  readonly crossValidationA: { readonly rmsRelativeError: number; readonly maxRelativeError: number };
  /** B's measured time against A's at the points clean in both (step-time-fit-points.ts). */
  readonly repeatability?: {
    readonly numPairs: number;
    readonly rmsDifference: number;
    readonly numOver10Percent: number;
  };
}

const GOAL = 0.1;
const ms = (s: number) => (s * 1e3).toFixed(2);
const pct = (e: number) => `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)} %`;
const loads = (xs: SetMeta['loadAverage']) => xs.map((l) => l.map((v) => v.toFixed(2)).join('→')).join(', ');

/** The fitted costs as machine figures: µs per run/node/input, rates per FLOP and byte column. */
export function costLines(fit: StepTimeFit): string[] {
  const c = fit.costs;
  const rate = (x: number, unit: string) => (x > 0 ? `${(1 / x / 1e9).toFixed(1)} ${unit}` : '—');
  return [
    `- per session.run ${(c.runs * 1e6).toFixed(1)} µs, per node ${(c.nodes * 1e6).toFixed(2)} µs, per graph input ${(c.inputs * 1e6).toFixed(2)} µs`,
    `- weight GEMMs: fp32 ${rate(c['gemmFlops.fp32'], 'GFLOP/s')}, fp16 ${rate(c['gemmFlops.fp16'], 'GFLOP/s')}, int8 ${rate(c['gemmFlops.int8'], 'GOP/s')}`,
    `- weight streams: fp32 ${rate(c['weightBytes.fp32'], 'GB/s')}, fp16 ${rate(c['weightBytes.fp16'], 'GB/s')}, int8 ${rate(c['weightBytes.int8'], 'GB/s')}; int8 dequantization ${rate(c.dequantBytes, 'GB/s')}`,
    `- attention matmuls: MatMul ${rate(c.attentionFlops, 'GFLOP/s')}, Gemm ${rate(c.attentionGemmFlops, 'GFLOP/s')}; KV read ${rate(c.kvReadBytes, 'GB/s')} (one-row stream ${rate(c.kvStreamBytes, 'GB/s')}), other activation traffic ${rate(c.activationBytes, 'GB/s')}`,
    `- cache: ${fit.cacheBytes === null ? 'no cache term fitted' : `resident set beyond ${(fit.cacheBytes / 2 ** 20).toFixed(1)} MiB costs 1 s per ${(1 / c.spillBytes / 1e9).toFixed(1)} GB more`}`,
    `- KV cache: ${fit.kvCacheBytes === undefined || fit.kvCacheBytes === null ? 'no KV cache term fitted' : `KV read beyond ${(fit.kvCacheBytes / 2 ** 20).toFixed(1)} MiB costs 1 s per ${(1 / c.kvSpillBytes / 1e9).toFixed(1)} GB more`}`,
    `- fitted columns: ${fit.fittedColumns.join(', ')} ('—': fitted to 0 or not exercised)`,
  ];
}

function header(meta: FidelityMeta): string {
  return [
    `Command: \`${meta.command}\`. Two sets of the same ${meta.passA.numPoints} points, A (fit) and B (check), each`,
    `measured in ${meta.numPasses} passes of ${meta.numRuns} timed runs per point (after 3 warm-ups), passes alternating`,
    `A1 B1 A2 B2 …, started ${meta.passA.startedAt}; then up to ${meta.extraRounds} rounds measuring again the points`,
    'with fewer than 3 clean runs, pooled with their earlier runs. Load average (1 min) at the start and end of',
    'each pass and round:',
    `A ${loads(meta.passA.loadAverage)}; B ${loads(meta.passB.loadAverage)}. A run is clean when this process's`,
    'threads waited for a CPU during at most 5 % of it (schedstat); a point is the median of its clean runs over its',
    "set's passes, and is clean with at least 3 of them. Measured = wall time of the KernelRunner call.",
    "Calibrated = the fit to set A's clean points, evaluated from the model's cost structure at the point's shape",
    '(what the twin does): every B point is out-of-sample. Analytic = @oicf/core on the calibrated device.',
    `${meta.calibration}.`,
  ].join(' ');
}

export function fidelityMarkdown(meta: FidelityMeta, rows: readonly FidelityRow[]): string {
  const clean = rows.filter((r) => r.clean);
  const over = clean.filter((r) => Math.abs(r.error) > GOAL);
  const worst = [...clean].sort((x, y) => Math.abs(y.error) - Math.abs(x.error)).slice(0, 8);
  const maxAll = Math.max(...rows.map((r) => Math.abs(r.error)));
  const maxClean = Math.max(0, ...clean.map((r) => Math.abs(r.error)));
  const met = over.length === 0 && clean.length === rows.length;
  // Issue 12.3's range: prefill 256–1,024 tokens, decode 1k–32k contexts at batch 1 and 16.
  const inRange = rows.filter((r) => {
    const m = / (prefill (\d+)|decode b(\d+) L(\d+))$/.exec(r.label);
    if (m?.[2] !== undefined) return Number(m[2]) >= 256 && Number(m[2]) <= 1024;
    const [b, L] = [Number(m?.[3]), Number(m?.[4])];
    return (b === 1 || b === 16) && L >= 1024 && L <= 32768;
  });
  const rangeClean = inRange.filter((r) => r.clean);
  const rangeOver = rangeClean.filter((r) => Math.abs(r.error) > GOAL);
  const rms = (xs: readonly FidelityRow[]) =>
    Math.sqrt(xs.reduce((a, r) => a + r.error ** 2, 0) / Math.max(1, xs.length));
  const verdict = [
    `**Goal (every point within ±10 %): ${met ? 'met' : 'not met'}.**`,
    `Of the ${rows.length} points of set B, ${clean.length} were measured cleanly; ${over.length} of those are`,
    `outside ±10 % (largest |error| ${pct(maxClean)}). ${rows.length - clean.length} point(s) had fewer than 3 clean`,
    'runs: their figures include contended runs and say nothing about the model',
    `(largest |error| over all points ${pct(maxAll)}). Leave-one-out within set A's clean points:`,
    `rms ${pct(meta.crossValidationA.rmsRelativeError)}, max ${pct(meta.crossValidationA.maxRelativeError)}.`,
    `Clean B points: rms ${pct(rms(clean))}. In the issue's range (prefill 256–1,024 tokens, decode 1k–32k at`,
    `batch 1 and 16): ${rangeClean.length} of ${inRange.length} points clean, ${rangeClean.length - rangeOver.length} of those within ±10 %`,
    `(rms ${pct(rms(rangeClean))}, largest |error| ${pct(Math.max(0, ...rangeClean.map((r) => Math.abs(r.error))))}).`,
    ...(meta.repeatability
      ? [
          `How far the measurement itself repeats: at the ${meta.repeatability.numPairs} points clean in both sets, B's time`,
          `differs from A's by rms ${pct(meta.repeatability.rmsDifference)}, and by more than 10 % at ${meta.repeatability.numOver10Percent}.`,
        ]
      : []),
  ].join(' ');
  return [
    `# Calibrated step-time model: fidelity (${meta.sweep} sweep, ${meta.passA.startedAt})`,
    '',
    header(meta),
    '',
    verdict,
    '',
    'Worst clean points:',
    '',
    ...worst.map(
      (r) =>
        `- ${r.label}: measured ${ms(r.measuredSeconds)} ms, calibrated ${ms(r.calibratedSeconds)} ms (${pct(r.error)}), analytic ${ms(r.analyticSeconds)} ms`,
    ),
    '',
    'Fitted machine figures (set A):',
    '',
    ...costLines(meta.fit),
    '',
    '| point | measured (ms) | session.run (ms) | analytic (ms) | analytic error | calibrated (ms) | calibrated error | clean runs | CPU wait | load |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${ms(r.measuredSeconds)} | ${ms(r.sessionRunSeconds)} | ${ms(r.analyticSeconds)} | ${pct(r.analyticError)} | ${ms(r.calibratedSeconds)} | ${pct(r.error)} | ${r.cleanRuns}/${r.numRuns}${r.clean ? '' : ' ✗'} | ${Number.isNaN(r.waitFraction) ? '—' : `${(r.waitFraction * 100).toFixed(0)} %`} | ${r.loadAverage.toFixed(2)} |`,
    ),
    '',
  ].join('\n');
}
