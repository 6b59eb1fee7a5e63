// The fidelity bench's results: one mode's record, the goal per figure and its Markdown section.
import type { FigureError } from '@oicf/report';
import { type FigureSpread, meetsGoalVsMean, realRepeats } from './sim-fidelity-spread.js';

export interface ModeResult {
  readonly mode: string;
  readonly description: string;
  readonly skipped?: string;
  readonly loadAverage?: { readonly beforeReal: number; readonly afterReal: number };
  readonly realWallSeconds?: number;
  readonly simWallSeconds?: number;
  readonly stepModels?: readonly string[];
  /** What priced the real kernels (under emulation: the calibrated model, else the analytic one). */
  readonly kernelModels?: readonly string[];
  /** The twin's shared host: cores, threads per step, kernel computations stretched and seconds added. */
  readonly host?: {
    readonly cores: number;
    readonly threads: readonly number[];
    readonly numStretched: number;
    readonly addedSeconds: number;
  };
  readonly figures?: readonly FigureError[];
  readonly commands: readonly string[];
  /** The host-cost model the twin charged (its file and fit time), or why none. */
  readonly hostCost?: { readonly file: string; readonly fittedAtIso: string; readonly source: string } | string;
  /** CPU seconds of each process over the real run (main thread and whole process). */
  readonly realCpu?: Record<string, { mainThreadSeconds: number; cpuSeconds: number; kind: string }>;
  /** CPU seconds the twin charged per kind of process (host-cost model) and its kernels. */
  readonly simCpu?: Readonly<Record<string, number>>;
  /** Start-to-finish seconds of the twin's computations by the same kinds (their share of a core: CPU ÷ wall). */
  readonly simWall?: Readonly<Record<string, number>>;
  /** The twin's steps per worker. */
  readonly simWorkers?: readonly Record<string, number | string>[];
  /** The twin again with the other processes' measured CPU during the real run as demand (mean cores). */
  readonly withForeign?: { readonly meanCores: number; readonly figures: readonly FigureError[] };
  /** Every recorded real run of the mode (its figures against the twin). */
  readonly realRuns?: readonly RealRunRow[];
  /** The twin against the real runs' spread, per figure. */
  readonly spread?: readonly FigureSpread[];
}

export function fmt(v: number | null): string {
  return v === null ? 'n/a' : v < 1 ? v.toPrecision(3) : v.toFixed(2);
}

export function errorText(f: FigureError): string {
  if (f.error === null) return 'n/a';
  return f.unit === 'points' ? `${(100 * f.error).toFixed(1)} pts` : `${(100 * f.error).toFixed(1)} %`;
}

/** Within the goal: 10 % on p50, p90 and throughput; 2 points on the hit ratio; p99, TPOT p90's… reported only. */
export function meetsGoal(f: FigureError): boolean | null {
  if (f.error === null) return null;
  if (f.unit === 'points') return Math.abs(f.error) <= 0.02;
  if (/p50|p90|throughput/.test(f.figure)) return Math.abs(f.error) <= 0.1;
  return null;
}

/** A real-vs-sim mode's Markdown: its run, the host-cost model, CPU per process and the figures table. */
export function modeMarkdown(r: ModeResult): string[] {
  return [
    `Load average (1 min) ${r.loadAverage?.beforeReal.toFixed(2)} before the real run, ${r.loadAverage?.afterReal.toFixed(2)} after; real run ${r.realWallSeconds?.toFixed(0)} s, simulation ${r.simWallSeconds?.toFixed(2)} s; step models: ${r.stepModels?.join(', ')}; real kernels priced by: ${r.kernelModels?.join(', ')}${r.host === undefined ? '' : `; twin's host: ${r.host.cores} cores shared by processor sharing, ${r.host.threads.join('/')} thread(s) per step, ${r.host.numStretched} kernel computations stretched by ${r.host.addedSeconds.toFixed(1)} s in all`}.`,
    '',
    `Host-cost model: ${typeof r.hostCost === 'string' ? r.hostCost : `${r.hostCost?.file}, fitted ${r.hostCost?.fittedAtIso} from ${r.hostCost?.source}`}.`,
    '',
    `CPU seconds, real run (main thread / whole process): ${Object.entries(r.realCpu ?? {})
      .map(([n, c]) => `${n} ${c.mainThreadSeconds.toFixed(1)} / ${c.cpuSeconds.toFixed(1)}`)
      .join(', ')}; charged by the twin: ${Object.entries(r.simCpu ?? {})
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ')}.`,
    '',
    `Last two columns: the same twin with what other processes of the machine used during the real run (measured from /proc/stat less the cluster's and client's CPU; mean ${r.withForeign?.meanCores.toFixed(2) ?? 'n/a'} cores) replayed as demand on the cores.`,
    '',
    '| figure | real | sim | error | within goal | sim +foreign | error | within goal |',
    '| --- | ---: | ---: | ---: | :---: | ---: | ---: | :---: |',
    ...(r.figures ?? []).map((f, i) => {
      const g = meetsGoal(f);
      const w = r.withForeign?.figures[i];
      const gw = w === undefined ? null : meetsGoal(w);
      const yes = (x: boolean | null) => (x === null ? '—' : x ? 'yes' : 'no');
      return `| ${f.figure} | ${fmt(f.real)} | ${fmt(f.sim)} | ${errorText(f)} | ${yes(g)} | ${w === undefined ? 'n/a' : fmt(w.sim)} | ${w === undefined ? 'n/a' : errorText(w)} | ${yes(gw)} |`;
    }),
    '',
  ];
}

function valueText(v: number | null, format: FigureSpread['format']): string {
  if (v === null) return 'n/a';
  if (format === 'percent') return `${(100 * v).toFixed(1)} %`;
  if (format === 'seconds') return v < 1 ? `${(1000 * v).toPrecision(3)} ms` : `${v.toPrecision(3)} s`;
  return v.toPrecision(3);
}

function signed(v: number | null, unit: FigureSpread['unit']): string {
  if (v === null) return 'n/a';
  const s = `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(1)}`;
  return unit === 'points' ? `${s} pt` : `${s} %`;
}

/** One line per real run: when, the load, and each figure's real value. */
export interface RealRunRow {
  readonly dir: string;
  readonly startedIso: string | null;
  readonly beforeReal: number;
  readonly afterReal: number;
  readonly values: readonly FigureError[];
  /** The twin with this run's measured other CPU (foreign load) replayed, against this run. */
  readonly foreign?: { readonly meanCores: number; readonly figures: readonly FigureError[] } | undefined;
}

/** The twin against the real runs' spread: per figure the real mean, range, sd ÷ mean, twin, error vs mean. */
export function spreadMarkdown(spread: readonly FigureSpread[], runs: readonly RealRunRow[]): string[] {
  const yes = (x: boolean | null) => (x === null ? '—' : x ? 'yes' : 'no');
  const first = runs[0]?.values ?? [];
  return [
    `${runs.length} real run(s), each on a freshly launched cluster; the twin's one answer (same seed, deterministic) against them.`,
    '"real repeats": every real run within the goal\'s tolerance (10 %, 2 pt) of the real mean; where it does not, no twin can be judged on that figure here.',
    '',
    '| figure | real mean | real min – max | sd ÷ mean (pt for the ratio) | twin | error vs mean | within goal vs mean | twin inside real range | real repeats |',
    '| --- | ---: | ---: | ---: | ---: | ---: | :---: | :---: | :---: |',
    ...spread.map(
      (s) =>
        `| ${s.figure} | ${valueText(s.realMean, s.format)} | ${valueText(s.realMin, s.format)} – ${valueText(s.realMax, s.format)} | ${s.realSpread === null ? 'n/a' : s.unit === 'points' ? `${(100 * s.realSpread).toFixed(1)} pt` : `${(100 * s.realSpread).toFixed(1)} %`} | ${valueText(s.sim, s.format)} | ${signed(s.errorVsMean, s.unit)} | ${yes(meetsGoalVsMean(s))} | ${yes(s.simInsideRealRange)} | ${yes(realRepeats(s))} |`,
    ),
    '',
    'The real runs:',
    '',
    `| run | started (UTC) | load before → after | ${first.map((f) => f.figure).join(' | ')} |`,
    `| --- | --- | --- | ${first.map(() => '---:').join(' | ')} |`,
    ...runs.map(
      (r) =>
        `| ${r.dir} | ${r.startedIso ?? 'n/a'} | ${r.beforeReal.toFixed(2)} → ${r.afterReal.toFixed(2)} | ${r.values.map((f) => valueText(f.real, f.format)).join(' | ')} |`,
    ),
    '',
    "The twin of each run (+foreign: the machine's other CPU measured during that run replayed as demand on the cores), error against that run:",
    '',
    `| run | other CPU (cores) | ${first.map((f) => f.figure).join(' | ')} |`,
    `| --- | ---: | ${first.map(() => '---:').join(' | ')} |`,
    ...runs.map(
      (r) =>
        `| ${r.dir} | ${r.foreign?.meanCores.toFixed(2) ?? 'n/a'} | ${(r.foreign?.figures ?? []).map((f) => `${valueText(f.sim, f.format)} (${signed(f.error, f.unit)})`).join(' | ')} |`,
    ),
    '',
  ];
}

/** The console's lines for a mode's spread table. */
export function spreadLines(mode: string, spread: readonly FigureSpread[]): string[] {
  return [
    `mode ${mode}: twin vs ${spread[0]?.realValues.length ?? 0} real run(s)`,
    ...spread.map(
      (f) =>
        `  ${f.figure}: real mean ${fmt(f.realMean)} (${fmt(f.realMin)}–${fmt(f.realMax)}) twin ${fmt(f.sim)} error vs mean ${signed(f.errorVsMean, f.unit)}`,
    ),
  ];
}

/** The modes as the results JSON gives them: each figure with its verdict. */
export function modesDoc(results: readonly ModeResult[]) {
  return results.map((r) => ({
    ...r,
    figures: r.figures?.map((f) => ({ ...f, meetsGoal: meetsGoal(f) })),
    spread: r.spread?.map((f) => ({ ...f, meetsGoalVsMean: meetsGoalVsMean(f), realRepeats: realRepeats(f) })),
    ...(r.withForeign === undefined
      ? {}
      : {
          withForeign: {
            meanCores: r.withForeign.meanCores,
            figures: r.withForeign.figures.map((f) => ({ ...f, meetsGoal: meetsGoal(f) })),
          },
        }),
  }));
}

/** The modes' sections of the results markdown. */
export function modesMarkdown(results: readonly ModeResult[]): string[] {
  const md: string[] = [];
  for (const r of results) {
    md.push(`## Mode ${r.mode}: ${r.description}`, '');
    if (r.skipped !== undefined) {
      md.push(`Not run: ${r.skipped}.`, '');
    } else {
      md.push("### Against the real runs' spread", '', ...spreadMarkdown(r.spread ?? [], r.realRuns ?? []));
      md.push(`### Against the first real run (${r.realRuns?.[0]?.dir ?? 'n/a'})`, '', ...modeMarkdown(r));
    }
    md.push('Equivalent commands:', '', ...r.commands.map((c) => `    ${c}`), '');
  }
  return md;
}

/** The results markdown: the setup, each mode's sections, the decode loop between steps, the host-cost model. */
export function resultsMarkdown(o: {
  traceFile: string;
  maxRequests: number;
  startSeconds: number;
  tokenScale: number;
  loop: string;
  speed: number;
  policy: string;
  seed: number;
  machine: { cpus: number; model: string };
  command: string;
  goal: string;
  results: readonly ModeResult[];
  loopLines: readonly string[];
  hostCostLines: readonly string[];
}): string[] {
  const md: string[] = [
    '# Twin fidelity: the real local cluster vs its simulation',
    '',
    `- trace: \`${o.traceFile}\`, first ${o.maxRequests} requests${o.startSeconds > 0 ? ` from ${o.startSeconds} s` : ''}, token scale ×${o.tokenScale} (blocks mode), ${o.loop} loop, speed ×${o.speed}; cluster: the default config (2 prefill + 2 decode workers, tiny-gqa, ${o.policy}, 512 MiB dram pool); seed ${o.seed}`,
    `- machine: ${o.machine.cpus} cores (${o.machine.model}); the real cluster runs in wall time on them, shared with whatever else runs (load averages below)`,
    `- command: \`${o.command}\``,
    `- goal: ${o.goal}`,
    '',
    ...modesMarkdown(o.results),
  ];
  if (o.loopLines.length > 0) md.push('## The decode loop between steps', '', ...o.loopLines.map((l) => `- ${l}`), '');
  if (o.hostCostLines.length > 0) md.push('## Host-cost model', '', ...o.hostCostLines.map((l) => `- ${l}`), '');
  return md;
}
