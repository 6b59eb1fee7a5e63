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

/**
 * README lines for the window at `out`: the twin with the measured pace work beside the twin without it. Window 7b
 * has twin/ (with) and twin-no-pace/ (without); later windows twin/ (without, the default since 7b) and twin-pace/
 * (with). None when neither pair is there.
 */
export function ablationLines(out: string): string[] {
  const pairs = [
    {
      with: 'twin-pace',
      without: 'twin',
      title: 'Variant: the fit with the measured pace work (`--loop-pace`, twin-pace/)',
    },
    {
      with: 'twin',
      without: 'twin-no-pace',
      title: 'Ablation: the fit without the measured pace work (window 7b: `--no-loop-pace`, twin-no-pace/)',
    },
  ];
  const pair = pairs.find(
    (p) => existsSync(join(out, p.with, 'sim-fidelity.json')) && existsSync(join(out, p.without, 'sim-fidelity.json')),
  );
  if (pair === undefined) return [];
  const w = JSON.parse(readFileSync(join(out, pair.with, 'sim-fidelity.json'), 'utf8')) as Doc;
  const wo = JSON.parse(readFileSync(join(out, pair.without, 'sim-fidelity.json'), 'utf8')) as Doc;
  const lines = [
    `## ${pair.title}`,
    '',
    '| figure | mode | twin with the pace work: error (%, pt for hit) | without it |',
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
    `Keep rule (KEEP-RULE.md): mean |error| over ${JUDGED_FIGURES.join(', ')} in both modes ${(v.meanAbsWith * 100).toFixed(1)} % with the pace work, ${(v.meanAbsWithout * 100).toFixed(1)} % without; figures within the goal without it that leave it with it: ${v.left.length === 0 ? 'none' : v.left.join(', ')}. **${v.keep ? 'kept' : 'not kept'}**.`,
    '',
  );
  return lines;
}
