import type { RepeatJudgement } from '../src/roofline/point-repeats.js';
import type { StepTimeFit } from '../src/step-time/index.js';
import { costLines } from './step-time-report.js';

/** One point: its repeats' agreement, the calibrated price (leave-one-out when clean) and error. */
export interface JudgedRow {
  readonly label: string;
  readonly measuredSeconds: number;
  /** Clean points: the fit to every other clean point; others: the fit to all clean points. */
  readonly predictedSeconds: number;
  /** (predicted − measured) ÷ measured. */
  readonly error: number;
  readonly analyticSeconds: number;
  readonly clean: boolean;
  readonly numRepeats: number;
  readonly numUsable: number;
  readonly numAgreeing: number;
  /** (max − min) ÷ median of the usable repeats' figures. */
  readonly spread: number;
  /** Each repeat's figure (null: too few clean runs). */
  readonly repeatSeconds: readonly (number | null)[];
  /** Whether each repeat was usable (enough clean runs, co-runners within the limit). */
  readonly repeatUsable: readonly boolean[];
  readonly otherCores: readonly (number | null)[];
  readonly loadAverage: number;
}

export interface JudgeMeta {
  readonly commands: readonly string[];
  readonly inputs: readonly string[];
  readonly repeats: readonly {
    readonly variants: readonly string[];
    readonly startedAt: string;
    readonly endedAt: string;
    readonly loadAverage: readonly [number, number];
  }[];
  readonly numRuns: number;
  readonly minTimedSeconds: number;
  readonly intraOpNumThreads: number;
  readonly calibration: string;
  readonly judgement: RepeatJudgement;
  /** False: fitted without the KV cache term (`--no-kv-knee`). */
  readonly kvKnee: boolean;
  readonly fit: StepTimeFit;
}

const GOAL = 0.1;
const ms = (s: number) => (s * 1e3).toFixed(2);
const pct = (e: number) => (Number.isNaN(e) ? '—' : `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)} %`);
const rms = (xs: readonly JudgedRow[]) => Math.sqrt(xs.reduce((a, r) => a + r.error ** 2, 0) / Math.max(1, xs.length));
const maxAbs = (xs: readonly JudgedRow[]) => Math.max(0, ...xs.map((r) => Math.abs(r.error)));

/** Issue 12.3's range: prefill 256–1,024 tokens, decode 1k–32k contexts at batch 1 and 16. */
export function inIssueRange(label: string): boolean {
  const m = / (prefill (\d+)|decode b(\d+) L(\d+))$/.exec(label);
  if (m?.[2] !== undefined) return Number(m[2]) >= 256 && Number(m[2]) <= 1024;
  const [b, L] = [Number(m?.[3]), Number(m?.[4])];
  return (b === 1 || b === 16) && L >= 1024 && L <= 32768;
}

function verdict(rows: readonly JudgedRow[], label: string): string {
  const clean = rows.filter((r) => r.clean);
  const within = clean.filter((r) => Math.abs(r.error) <= GOAL);
  return `${label}: ${clean.length} of ${rows.length} points clean; ${within.length} of those within ±10 % (rms ${pct(rms(clean))}, largest |error| ${pct(maxAbs(clean))})`;
}

export function judgeMarkdown(meta: JudgeMeta, rows: readonly JudgedRow[]): string {
  const j = meta.judgement;
  const clean = rows.filter((r) => r.clean);
  const met = clean.length === rows.length && clean.every((r) => Math.abs(r.error) <= GOAL);
  const worst = [...clean].sort((x, y) => Math.abs(y.error) - Math.abs(x.error)).slice(0, 10);
  const spreads = rows.map((r) => r.spread).filter((s) => !Number.isNaN(s));
  const sorted = [...spreads].sort((a, b) => a - b);
  const loads = meta.repeats
    .map(
      (r) => `${r.variants.join('+')} ${r.startedAt.slice(11, 19)} ${r.loadAverage.map((l) => l.toFixed(2)).join('→')}`,
    )
    .join('; ');
  return [
    `# Calibrated step-time model: fidelity from interleaved repeats (round 5, ${meta.repeats[0]?.startedAt ?? ''})`,
    '',
    `Commands (each under \`flock /work/bench.lock\`): ${meta.commands.map((c) => `\`${c}\``).join('; ')}; judged by \`node --import tsx packages/kernels/bench/step-time-judge.ts ${meta.inputs.join(' ')}\`.`,
    `Each repeat is one pass over the points (${meta.numRuns} timed runs per point after 3 warm-ups, more until they add up to ${(meta.minTimedSeconds * 1e3).toFixed(0)} ms), so a point's repeats lie minutes apart; ${meta.intraOpNumThreads} onnxruntime thread(s), as the workers. The analytic column's device (the last locked run's calibration): ${meta.calibration}.`,
    `Repeats (variants, start UTC, 1-minute load average at start→end): ${loads}.`,
    '',
    `**What "clean" means.** A run is clean when its compute thread (the thread that ran longest: the one running \`session.run\`) waited for a CPU ≤ 5 % of it (schedstat). A repeat is usable when at least half its runs are clean and the other tasks on the host used at most ${j.maxOtherCores} cores during its timed runs (cgroup cpuacct minus our CPU); its figure is the median of its clean runs. A point is clean when at least ${j.minAgreeing} usable repeats agree — lie within ±${(j.agreement * 100).toFixed(0)} % of the usable repeats' median — and they are at least half the usable ones; its measured figure is the median of the agreeing repeats. Spread = (max − min) ÷ median over the usable repeats. Predicted = the calibrated model fitted (NNLS) to every *other* clean point (leave-one-out, so out-of-sample), from the model's cost structure at the point's shape (what the twin prices). Unclean points are priced by the fit to all clean points and not judged.`,
    '',
    `**Goal (every point within ±10 %): ${met ? 'met' : 'not met'}.** ${verdict(rows, 'All points')}. ${verdict(
      rows.filter((r) => inIssueRange(r.label)),
      "In the issue's range (prefill 256–1,024 tokens, decode 1k–32k at batch 1 and 16)",
    )}. Repeat spread over all points: median ${pct(sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN)}, 90th percentile ${pct(sorted[Math.ceil(0.9 * sorted.length) - 1] ?? Number.NaN)}.`,
    '',
    'Worst clean points (leave-one-out):',
    '',
    ...worst.map(
      (r) =>
        `- ${r.label}: measured ${ms(r.measuredSeconds)} ms (${r.numAgreeing}/${r.numRepeats} repeats agree, spread ${pct(r.spread)}), calibrated ${ms(r.predictedSeconds)} ms (${pct(r.error)})`,
    ),
    '',
    `Fitted machine figures (all clean points${meta.kvKnee ? '' : '; without the KV cache term, as file version 2'}):`,
    '',
    ...costLines(meta.fit),
    '',
    '| point | measured (ms) | calibrated (ms) | error | repeats agreeing / usable / all | spread | repeat figures (ms; ✗ too few clean runs, (…) co-runners over the limit) | other cores (median) | analytic (ms) | load |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...rows.map((r) => {
      const others = r.otherCores.filter((o): o is number => o !== null);
      return `| ${r.label}${r.clean ? '' : ' ✗'} | ${ms(r.measuredSeconds)} | ${ms(r.predictedSeconds)} | ${pct(r.error)} | ${r.numAgreeing}/${r.numUsable}/${r.numRepeats} | ${pct(r.spread)} | ${r.repeatSeconds.map((s, k) => (s === null ? '✗' : r.repeatUsable[k] ? ms(s) : `(${ms(s)})`)).join(', ')} | ${others.length > 0 ? [...others].sort((a, b) => a - b)[Math.floor((others.length - 1) / 2)]?.toFixed(2) : '—'} | ${ms(r.analyticSeconds)} | ${r.loadAverage.toFixed(2)} |`;
    }),
    '',
  ].join('\n');
}
