// The README of one judged window (sim-fidelity-window.ts): the twin against the judged real runs, both modes,
// with the real runs' own spread, and the machine state recorded beside every real run (the fitting one too).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ablationLines } from './sim-fidelity-ablation.js';
import { describeMachine, type MachineState } from './sim-fidelity-machine.js';

interface SpreadRow {
  readonly figure: string;
  readonly unit: 'relative' | 'points';
  readonly format: string;
  readonly realValues: readonly number[];
  readonly realMean: number | null;
  readonly realSpread: number | null;
  readonly sim: number | null;
  readonly errorVsMean: number | null;
  readonly meetsGoalVsMean: boolean | null;
}
interface RunFigure {
  readonly figure: string;
  readonly real: number | null;
  readonly sim: number | null;
}
interface ModeDoc {
  readonly mode: string;
  readonly description: string;
  readonly skipped?: string;
  readonly spread?: readonly SpreadRow[];
  readonly realRuns?: readonly {
    dir: string;
    startedIso: string | null;
    foreign?: { meanCores: number; figures: readonly RunFigure[] };
  }[];
}

/**
 * The twin with each judged run's own measured foreign load (other processes' CPU) replayed, averaged over the
 * runs, against the real mean: what the twin says for the machine as it was during those runs (measured, not
 * fitted). Undefined when a run has no foreign figures.
 */
function withForeign(m: ModeDoc, r: SpreadRow): string {
  const sims = (m.realRuns ?? []).map((run) => run.foreign?.figures.find((f) => f.figure === r.figure)?.sim);
  if (sims.length === 0 || sims.some((v) => typeof v !== 'number') || r.realMean === null) return 'n/a';
  const sim = (sims as number[]).reduce((t, v) => t + v, 0) / sims.length;
  const e = r.unit === 'points' ? sim - r.realMean : sim / r.realMean - 1;
  return error({ ...r, sim, errorVsMean: e, meetsGoalVsMean: Math.abs(e) <= (r.unit === 'points' ? 0.02 : 0.1) });
}

/** The judging rule's bound on the other tasks' cores during a run (the quiet gate's, before it, is the same). */
const LIKE_MAX_OTHER_CORES = 0.1;

function value(v: number | null, format: string): string {
  if (v === null) return 'n/a';
  if (format === 'seconds') return v >= 1 ? `${v.toFixed(2)} s` : `${(v * 1000).toFixed(1)} ms`;
  return Math.abs(v) < 1 ? v.toFixed(4) : v.toFixed(2);
}

function error(r: SpreadRow): string {
  if (r.errorVsMean === null) return 'n/a';
  const e = r.unit === 'points' ? `${(r.errorVsMean * 100).toFixed(1)} pt` : `${(r.errorVsMean * 100).toFixed(1)} %`;
  const signed = r.errorVsMean > 0 ? `+${e}` : e.replace('-', '−');
  return r.meetsGoalVsMean ? `**${signed}**` : signed;
}

function spread(r: SpreadRow): string {
  if (r.realSpread === null) return 'n/a';
  return r.unit === 'points' ? `${(r.realSpread * 100).toFixed(1)} pt` : `${(r.realSpread * 100).toFixed(1)} %`;
}

interface RunMachine {
  readonly before: MachineState;
  readonly after: MachineState;
  readonly otherCoresDuring: number | null;
  readonly quietGate?: { readonly maxCores: number; readonly met: boolean };
}

function machineOf(dir: string): { machine?: RunMachine } {
  const p = join(dir, 'real-meta.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as ReturnType<typeof machineOf>) : {};
}

function machineLines(name: string, dir: string): string[] {
  const m = machineOf(dir).machine;
  if (m === undefined) return [`- ${name} (\`${dir}\`): no machine state recorded`];
  const during = m.otherCoresDuring === null ? 'n/a' : m.otherCoresDuring.toFixed(2);
  const gate =
    m.quietGate === undefined
      ? ''
      : `; quiet gate (other tasks ≤ ${m.quietGate.maxCores} cores before it) ${m.quietGate.met ? 'met' : 'NOT met'}`;
  return [
    `- ${name} (\`${dir}\`), ${m.before.atIso} → ${m.after.atIso}: other tasks during the run ${during} cores${gate}`,
    `  - before: ${describeMachine(m.before)}`,
    `  - after: ${describeMachine(m.after)}`,
  ];
}

export function windowReadme(o: {
  out: string;
  fitRuns: string;
  judgedRuns: string;
  steps: readonly { name: string; command: string; startedIso: string; endedIso: string }[];
}): string {
  const twinPath = join(o.out, 'twin', 'sim-fidelity.json');
  const doc = JSON.parse(readFileSync(twinPath, 'utf8')) as { modes: ModeDoc[] };
  const modes = doc.modes.filter((m) => m.skipped === undefined && m.spread !== undefined);
  const figures = (modes[0]?.spread ?? []).map((r) => r.figure);
  const md: string[] = [
    '# Twin fidelity, fit and judged runs from one window',
    '',
    "One hold of the bench lock took the fitting window's real run (mode a, 300 requests from 600 s) and the judged",
    "window's real runs (first 300 requests, both modes); the host costs were then fitted on the fitting run only and",
    'the twin run on that fit against the judged runs (`bench/sim-fidelity-window.ts`). Error of the twin against',
    "the real runs' mean; bold: within the goal (10 %; hit ratio 2 points); spread: the real runs' sd ÷ mean.",
    '',
    "Last column per mode: the same twin with each judged run's measured other-process CPU replayed as demand on",
    'the cores (measured machine state, not fitted), averaged over the runs.',
    '',
    `| figure | ${modes.map((m) => `mode ${m.mode}: real mean (runs) | spread | twin | error | +foreign`).join(' | ')} |`,
    `| --- | ${modes.map(() => '---: | ---: | ---: | ---: | ---:').join(' | ')} |`,
  ];
  for (const f of figures) {
    const cells = modes.map((m) => {
      const r = m.spread?.find((x) => x.figure === f);
      if (r === undefined) return 'n/a | n/a | n/a | n/a | n/a';
      const runs = r.realValues.map((v) => value(v, r.format)).join(', ');
      return `${value(r.realMean, r.format)} (${runs}) | ${spread(r)} | ${value(r.sim, r.format)} | ${error(r)} | ${withForeign(m, r)}`;
    });
    md.push(`| ${f} | ${cells.join(' | ')} |`);
  }
  const dirs = [join(o.fitRuns, 'a-real-1'), ...modes.flatMap((m) => (m.realRuns ?? []).map((r) => r.dir))];
  const unlike = dirs.filter((d) => {
    const m = machineOf(d).machine;
    return m?.quietGate?.met !== true || m.otherCoresDuring === null || m.otherCoresDuring > LIKE_MAX_OTHER_CORES;
  });
  md.push(
    '',
    `**Like against like?** ${unlike.length === 0 ? 'yes' : 'no'}: the rule is that every real run, the fitting one included, met the quiet gate before it and had other tasks ≤ ${LIKE_MAX_OTHER_CORES} cores during it${unlike.length === 0 ? '.' : `; not met by ${unlike.map((d) => `\`${d}\``).join(', ')}.`}`,
  );
  md.push('', '## The machine beside each real run', '');
  md.push(...machineLines('fitting run (mode a, from 600 s)', join(o.fitRuns, 'a-real-1')));
  for (const m of modes) {
    for (const r of m.realRuns ?? []) md.push(...machineLines(`judged, mode ${m.mode}`, r.dir));
  }
  md.push('', '## Steps (UTC)', '');
  for (const s of o.steps) md.push(`- ${s.startedIso} → ${s.endedIso} ${s.name}:`, `  \`${s.command}\``);
  md.push('', `Twin details: \`${join(o.out, 'twin', 'sim-fidelity.md')}\`; the fit: \`${join(o.out, 'fit')}\`.`, '');
  md.push(...ablationLines(o.out));
  return md.join('\n');
}
