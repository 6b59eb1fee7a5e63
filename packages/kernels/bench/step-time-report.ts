import type { StepTimeFit } from '../src/step-time/index.js';

/** One point of pass B priced by the fit to pass A. */
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
  readonly preemptedRuns: number;
  readonly numRuns: number;
  readonly loadAverage: number;
}

export interface FidelityMeta {
  readonly sweep: string;
  readonly command: string;
  readonly numRuns: number;
  readonly passA: { readonly startedAt: string; readonly loadAverage: readonly number[]; readonly numPoints: number };
  readonly passB: { readonly startedAt: string; readonly loadAverage: readonly number[]; readonly numPoints: number };
  readonly calibration: string;
  readonly fit: StepTimeFit;
  readonly crossValidationA: { readonly rmsRelativeError: number; readonly maxRelativeError: number };
}

const GOAL = 0.1;
const ms = (s: number) => (s * 1e3).toFixed(2);
const pct = (e: number) => `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)} %`;

/** The fitted costs as machine figures: µs per call/node/input, rates per FLOP and byte column. */
function costLines(fit: StepTimeFit): string[] {
  const c = fit.costs;
  const rate = (x: number, unit: string, scale: number) => (x > 0 ? `${(1 / x / scale).toFixed(1)} ${unit}` : '—');
  return [
    `- per session.run ${(c.runs * 1e6).toFixed(1)} µs, per node ${(c.nodes * 1e6).toFixed(2)} µs, per graph input ${(c.inputs * 1e6).toFixed(2)} µs`,
    `- weight GEMMs: fp32 ${rate(c['gemmFlops.fp32'], 'GFLOP/s', 1e9)}, fp16 ${rate(c['gemmFlops.fp16'], 'GFLOP/s', 1e9)}, int8 ${rate(c['gemmFlops.int8'], 'GOP/s', 1e9)}`,
    `- weight streams: fp32 ${rate(c['weightBytes.fp32'], 'GB/s', 1e9)}, fp16 ${rate(c['weightBytes.fp16'], 'GB/s', 1e9)}, int8 ${rate(c['weightBytes.int8'], 'GB/s', 1e9)}; int8 dequantization ${rate(c.dequantBytes, 'GB/s', 1e9)}`,
    `- attention matmuls ${rate(c.attentionFlops, 'GFLOP/s', 1e9)}, KV read ${rate(c.kvReadBytes, 'GB/s', 1e9)}, other activation traffic ${rate(c.activationBytes, 'GB/s', 1e9)}`,
    `- fitted columns: ${fit.fittedColumns.join(', ')} ('—': fitted to 0 or not exercised)`,
  ];
}

export function fidelityMarkdown(meta: FidelityMeta, rows: readonly FidelityRow[]): string {
  const clean = rows.filter((r) => r.clean);
  const over = rows.filter((r) => Math.abs(r.error) > GOAL);
  const worst = [...rows].sort((x, y) => Math.abs(y.error) - Math.abs(x.error)).slice(0, 8);
  const maxAll = Math.max(...rows.map((r) => Math.abs(r.error)));
  const maxClean = Math.max(0, ...clean.map((r) => Math.abs(r.error)));
  const met = over.length === 0;
  const lines = [
    `# Calibrated step-time model: fidelity (${meta.sweep} sweep, ${meta.passB.startedAt})`,
    '',
    `Command: \`${meta.command}\`. Fitted to pass A (${meta.passA.numPoints} points, started ${meta.passA.startedAt}, load ${meta.passA.loadAverage.map((l) => l.toFixed(2)).join(' → ')}); checked against pass B, the same points measured again afterwards (started ${meta.passB.startedAt}, load ${meta.passB.loadAverage.map((l) => l.toFixed(2)).join(' → ')}). Measured = median wall time of the KernelRunner call over ${meta.numRuns} runs after 3 warm-ups, preempted runs dropped when at most half (a point is "clean" when they were). Calibrated = the fit to pass A evaluated from the model's cost structure at the point's shape (what the twin does). Analytic = @oicf/core on the calibrated device. ${meta.calibration}.`,
    '',
    `**Goal (every point within ±10 %): ${met ? 'met' : 'not met'}.** ${over.length} of ${rows.length} points outside ±10 %; largest |error| ${pct(maxAll)} over all points, ${pct(maxClean)} over the ${clean.length} clean ones. Cross-validation within pass A (leave-one-out over its clean points): rms ${pct(meta.crossValidationA.rmsRelativeError)}, max ${pct(meta.crossValidationA.maxRelativeError)}.`,
    '',
    'Worst points:',
    '',
    ...worst.map(
      (r) =>
        `- ${r.label}: measured ${ms(r.measuredSeconds)} ms, calibrated ${ms(r.calibratedSeconds)} ms (${pct(r.error)})${r.clean ? '' : `, not clean (${r.preemptedRuns}/${r.numRuns} runs preempted, load ${r.loadAverage.toFixed(2)})`}`,
    ),
    '',
    'Fitted machine figures (pass A):',
    '',
    ...costLines(meta.fit),
    '',
    '| point | measured (ms) | session.run (ms) | analytic (ms) | analytic error | calibrated (ms) | calibrated error | clean | load |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${ms(r.measuredSeconds)} | ${ms(r.sessionRunSeconds)} | ${ms(r.analyticSeconds)} | ${pct(r.analyticError)} | ${ms(r.calibratedSeconds)} | ${pct(r.error)} | ${r.clean ? 'yes' : `no (${r.preemptedRuns}/${r.numRuns})`} | ${r.loadAverage.toFixed(2)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
