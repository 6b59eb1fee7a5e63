import type { PointFidelity, RooflinePoint, StepTimeFile } from '@oicf/kernels';
import { formatSi } from '@oicf/plot';

const ms = (s: number) => `${(s * 1e3).toFixed(2)} ms`;
const pct = (e: number) => `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)}%`;

/**
 * The per-point table `oicf roofline` prints: OI counted from the graph (FLOPs ÷ weight + KV
 * bytes) and measured (FLOPs ÷ bytes the executed kernels moved, from the profiled run), achieved
 * rates, then the measured runner call beside the analytic (@oicf/core) and calibrated
 * (leave-one-out fit) predictions. A `*` marks points whose runs other processes slowed (run-quality.ts; not fitted).
 */
export function rooflineSummary(points: readonly RooflinePoint[], fidelity: readonly PointFidelity[]): string {
  const head = [
    'model'.padEnd(16),
    'step'.padEnd(20),
    'OI'.padStart(8),
    'meas. OI'.padStart(9),
    'achieved'.padStart(13),
    'bytes/s'.padStart(10),
    'measured'.padStart(11),
    'analytic'.padStart(11),
    'ratio'.padStart(7),
    'calibrated'.padStart(11),
    'error'.padStart(8),
  ].join(' ');
  const rows = points.map((p, i) => {
    const f = fidelity[i];
    const what = p.phase === 'prefill' ? `prefill ${p.newTokens}` : `decode b${p.batch} L${p.contextTokens[0]}`;
    return [
      `${p.modelId} ${p.weights}`.padEnd(16),
      what.padEnd(20),
      p.countedIntensityFlopsPerByte.toFixed(2).padStart(8),
      (p.measuredIntensityFlopsPerByte?.toFixed(2) ?? '—').padStart(9),
      formatSi(p.achievedFlopsPerSecond, 'FLOP/s').padStart(13),
      formatSi(p.achievedBytesPerSecond, 'B/s').padStart(10),
      `${ms(p.callSeconds)}${p.clean ? ' ' : '*'}`.padStart(11),
      ms(p.predictedSeconds).padStart(11),
      `${(p.callSeconds / p.predictedSeconds).toFixed(2)}×`.padStart(7),
      (f ? ms(f.calibratedSeconds) : '').padStart(11),
      (f ? pct(f.calibratedError) : '').padStart(8),
    ].join(' ');
  });
  return `${[head, ...rows].join('\n')}\n`;
}

/** One paragraph on the fit: its cross-validated error, worst point, and the file it went to. */
export function fitSummary(
  file: StepTimeFile,
  fidelity: readonly PointFidelity[],
  savedTo: string | undefined,
): string {
  const fitted = fidelity.filter((f) => f.clean || file.fittedOn === 'all');
  const worst = [...fitted].sort((a, b) => Math.abs(b.calibratedError) - Math.abs(a.calibratedError))[0];
  const within = fitted.filter((f) => Math.abs(f.calibratedError) <= 0.1).length;
  return [
    `calibrated step-time model: fitted to ${file.fit.numSamples} ${file.fittedOn === 'clean' ? 'clean' : ''} points (measured = whole runner call; calibrated = leave-one-out, each point priced by a fit without it)`,
    `  leave-one-out error: rms ${pct(file.crossValidation.rmsRelativeError)}, max ${pct(file.crossValidation.maxRelativeError)}; ${within}/${fitted.length} points within ±10%${worst ? `; worst ${worst.label} ${pct(worst.calibratedError)}` : ''}`,
    `  ${fidelity.length - fitted.length} point(s) marked * were slowed by other processes (our threads waited for a CPU) and not fitted; load ${file.loadAverage.map((l: number) => l.toFixed(2)).join(' → ')}`,
    savedTo === undefined ? '  (kept the saved full fit: a quick run does not replace it)' : `  saved to ${savedTo}`,
    '',
  ].join('\n');
}
