// A window's twin beside an ablation of it (round 7: the fit without the measured pace work, twin-no-pace/), and
// the keep rule committed before the window ran (bench/results/sim-fidelity-r7a/KEEP-RULE.md): over the judged
// figures of both modes, the mean |error| against the real runs' mean must be no larger with the change, and no
// figure within the goal without it may leave the goal with it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Row {
  readonly figure: string;
  readonly unit: 'relative' | 'points';
  readonly errorVsMean: number | null;
  readonly meetsGoalVsMean: boolean | null;
}
interface Doc {
  readonly modes: readonly { readonly mode: string; readonly spread?: readonly Row[] }[];
}

/** The figures the keep rule judges (the goal: p50, p90 and throughput). */
export const JUDGED_FIGURES = ['TTFT p50', 'TTFT p90', 'TPOT p50', 'TPOT p90', 'throughput req/s'] as const;

export interface KeepVerdict {
  readonly meanAbsWith: number;
  readonly meanAbsWithout: number;
  /** Figures (mode and name) within the goal without the change and outside it with it. */
  readonly left: readonly string[];
  readonly keep: boolean;
}

/** The rule on two twins' rows: `with` the change, `without` it. */
export function keepVerdict(withRows: Doc, withoutRows: Doc): KeepVerdict {
  const pick = (d: Doc) =>
    d.modes.flatMap((m) =>
      (m.spread ?? [])
        .filter((r) => (JUDGED_FIGURES as readonly string[]).includes(r.figure))
        .map((r) => ({ key: `${m.mode} ${r.figure}`, r })),
    );
  const a = pick(withRows);
  const b = new Map(pick(withoutRows).map((x) => [x.key, x.r]));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const meanAbsWith = mean(a.map((x) => Math.abs(x.r.errorVsMean ?? Number.NaN)));
  const meanAbsWithout = mean(a.map((x) => Math.abs(b.get(x.key)?.errorVsMean ?? Number.NaN)));
  const left = a
    .filter((x) => b.get(x.key)?.meetsGoalVsMean === true && x.r.meetsGoalVsMean !== true)
    .map((x) => x.key);
  return { meanAbsWith, meanAbsWithout, left, keep: meanAbsWith <= meanAbsWithout && left.length === 0 };
}

const pct = (e: number | null) => (e === null ? 'n/a' : `${e > 0 ? '+' : '−'}${Math.abs(e * 100).toFixed(1)}`);

interface Pair {
  readonly with: string;
  readonly without: string;
  readonly title: string;
  /** What the change is, in the table's header and the verdict. */
  readonly change: string;
  /** Not when the window has this folder (window 7c: its twin/ had the send part, twin-kernel/ is rule M's). */
  readonly unless?: string;
}

/**
 * The pairs a window may hold. Window 7b: twin/ (with the pace work) and twin-no-pace/; windows after 7b and before
 * 7c: twin/ (without) and twin-pace/. Window 7c (bench/results/sim-fidelity-r7c/KEEP-RULE.md): rule M, the prefill
 * meter's kernel and per-step parts (twin-kernel/ against twin-no-meter/), and rule S, its send part on top
 * (twin/ against twin-kernel/). After 7c: twin/ (the kernel parts, the default), twin-send/, twin-no-meter/.
 */
const PAIRS: readonly Pair[] = [
  {
    with: 'twin-kernel',
    without: 'twin-no-meter',
    title:
      'Rule M: the prefill meter’s kernel and per-step parts (`--no-send-meter`, twin-kernel/) against none (`--no-prefill-meter`, twin-no-meter/)',
    change: 'the kernel meter',
  },
  {
    with: 'twin',
    without: 'twin-kernel',
    title:
      'Rule S: the prefill meter’s send part on top (the fit’s default, twin/) against the kernel parts only (twin-kernel/)',
    change: 'the send meter',
  },
  {
    with: 'twin-send',
    without: 'twin',
    title: 'Variant: the prefill meter’s send part on top (`--send-meter`, twin-send/) against the default (twin/)',
    change: 'the send meter',
  },
  {
    with: 'twin',
    without: 'twin-no-meter',
    title: 'Variant: the fit’s default (the prefill meter’s kernel parts, twin/) against none (`--no-prefill-meter`)',
    change: 'the kernel meter',
    unless: 'twin-kernel',
  },
  {
    with: 'twin-graph',
    without: 'twin',
    title:
      'Rule G (round 8): the measured decode graph builds (`--graph-build-file`, twin-graph/) against the default (twin/)',
    change: 'the graph builds',
  },
  {
    with: 'twin-pace',
    without: 'twin',
    title: 'Variant: the fit with the measured pace work (`--loop-pace`, twin-pace/)',
    change: 'the pace work',
  },
  {
    with: 'twin',
    without: 'twin-no-pace',
    title: 'Ablation: the fit without the measured pace work (window 7b: `--no-loop-pace`, twin-no-pace/)',
    change: 'the pace work',
  },
];

/** README lines for the window at `out`: each pair of twins it holds, with the keep rule's verdict. */
export function ablationLines(out: string): string[] {
  const has = (dir: string) => existsSync(join(out, dir, 'sim-fidelity.json'));
  return PAIRS.filter((p) => has(p.with) && has(p.without) && (p.unless === undefined || !has(p.unless))).flatMap((p) =>
    pairLines(out, p),
  );
}

function pairLines(out: string, pair: Pair): string[] {
  const w = JSON.parse(readFileSync(join(out, pair.with, 'sim-fidelity.json'), 'utf8')) as Doc;
  const wo = JSON.parse(readFileSync(join(out, pair.without, 'sim-fidelity.json'), 'utf8')) as Doc;
  const lines = [
    `## ${pair.title}`,
    '',
    `| figure | mode | twin with ${pair.change}: error (%, pt for hit) | without it |`,
    '| --- | --- | ---: | ---: |',
  ];
  for (const m of w.modes) {
    const other = wo.modes.find((x) => x.mode === m.mode);
    for (const r of m.spread ?? []) {
      const o = other?.spread?.find((x) => x.figure === r.figure);
      lines.push(`| ${r.figure} | ${m.mode} | ${pct(r.errorVsMean)} | ${pct(o?.errorVsMean ?? null)} |`);
    }
  }
  const v = keepVerdict(w, wo);
  lines.push(
    '',
    `Keep rule (KEEP-RULE.md): mean |error| over ${JUDGED_FIGURES.join(', ')} in both modes ${(v.meanAbsWith * 100).toFixed(1)} % with ${pair.change}, ${(v.meanAbsWithout * 100).toFixed(1)} % without; figures within the goal without it that leave it with it: ${v.left.length === 0 ? 'none' : v.left.join(', ')}. **${v.keep ? 'kept' : 'not kept'}**.`,
    '',
  );
  return lines;
}
