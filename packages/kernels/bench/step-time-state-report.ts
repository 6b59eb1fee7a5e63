// The markdown of step-time-state-judge.ts: the threshold, the probe against bimodal points' clusters,
// per-state judgement and leave-one-out error, round 5's figures on the same points, and what a twin that
// does not know the state would get.
import type { CacheState, ClusterAgreement, RepeatState, StateFit } from '../src/index.js';

interface StatePointRow {
  readonly clean: boolean;
  readonly seconds: number;
  readonly numRepeats: number;
  readonly numAgreeing: number;
  readonly spread: number;
  /** Leave-one-out, priced in its own state (null: not clean, not priced). */
  readonly error: number | null;
  readonly otherStateError: number | null;
  readonly mixError: number | null;
  readonly blindError: number | null;
}

export interface StateReport {
  readonly inputs: readonly string[];
  readonly commands: readonly string[];
  readonly repeats: readonly { startedAt: string; endedAt: string; loadAverage: readonly [number, number] }[];
  readonly threshold: {
    readonly mib: number;
    readonly gbps: number;
    readonly source: string;
    readonly numLow: number;
    readonly numHigh: number;
    readonly separation: number;
  };
  readonly counts: Record<RepeatState | 'unknown', number>;
  readonly share: Record<CacheState, number>;
  readonly bimodal: readonly { label: string; spread: number; agreement: ClusterAgreement }[];
  readonly points: readonly {
    readonly label: string;
    readonly states: readonly (RepeatState | null)[];
    readonly pooled: { clean: boolean; seconds: number; spread: number; error: number | null };
    readonly byState: Partial<Record<CacheState, StatePointRow>>;
    readonly round5: { clean: boolean; error: number; seconds: number } | null;
  }[];
  readonly stateFit: StateFit | null;
}

const pct = (x: number | null | undefined, d = 1) =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(d)} %`;
const ms = (s: number) => (1e3 * s).toFixed(2);

/** Clean count, within ±10 %, rms and max |error| over the errors given (nulls: not priced). */
export function summary(errors: readonly (number | null)[]): string {
  const e = errors.filter((x): x is number => x !== null && Number.isFinite(x));
  if (e.length === 0) return '0 | – | – | –';
  const within = e.filter((x) => Math.abs(x) <= 0.1).length;
  const rms = Math.sqrt(e.reduce((a, x) => a + x * x, 0) / e.length);
  return `${e.length} | ${within} | ${pct(rms)} | ${pct(Math.max(...e.map(Math.abs)))}`;
}

export function stateMarkdown(r: StateReport): string {
  const lines: string[] = [];
  const t = r.threshold;
  lines.push('# Step-time model per host cache state (round 6, issue 12.3)', '');
  lines.push(`Inputs: ${r.inputs.map((i) => `\`${i}\``).join(', ')}; repeats ${r.repeats.length}:`);
  for (const rep of r.repeats)
    lines.push(
      `- ${rep.startedAt} – ${rep.endedAt.slice(11)}, load ${rep.loadAverage.map((x) => x.toFixed(2)).join(' → ')}`,
    );
  lines.push('', `Commands: ${r.commands.map((c) => `\`${c}\``).join('; ')}`, '');
  lines.push(
    `**State threshold** (chosen from \`${t.source}\`, a stream-probe run, not from the judged repeats): ` +
      `${t.mib} MiB read at ≥ ${t.gbps.toFixed(2)} GB/s = cached (Otsu on log rate: ${t.numLow} samples below, ` +
      `${t.numHigh} above, separation ${t.separation.toFixed(2)}). A repeat is cached when the probe before and after ` +
      'its point both read at or above it, uncached when both below, mixed otherwise.',
    '',
  );
  lines.push(
    `Repeats by state (point × repeat): cached ${r.counts.cached}, uncached ${r.counts.uncached}, mixed ${r.counts.mixed}, no probe ${r.counts.unknown}; ` +
      `share of cached among cached + uncached ${pct(r.share.cached)}.`,
    '',
  );
  lines.push("## Does the probe tell a bimodal point's cluster?", '');
  lines.push(
    'Points whose usable repeats spread > 20 % (≥ 4 usable): repeats split into a fast and a slow cluster by time alone (Otsu on log seconds), counted by the state the probes recorded (mixed left out).',
    '',
    '| point | spread | fast & cached | fast & uncached | slow & cached | slow & uncached |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  const tot = { fastCached: 0, fastUncached: 0, slowCached: 0, slowUncached: 0 };
  for (const b of r.bimodal) {
    const a = b.agreement;
    for (const k of Object.keys(tot) as (keyof typeof tot)[]) tot[k] += a[k];
    lines.push(
      `| ${b.label} | ${pct(b.spread, 0)} | ${a.fastCached} | ${a.fastUncached} | ${a.slowCached} | ${a.slowUncached} |`,
    );
  }
  const all = tot.fastCached + tot.fastUncached + tot.slowCached + tot.slowUncached;
  lines.push(
    `| **all ${r.bimodal.length}** | | ${tot.fastCached} | ${tot.fastUncached} | ${tot.slowCached} | ${tot.slowUncached} |`,
    '',
    `Probe state = cluster (fast ⇔ cached) for ${tot.fastCached + tot.slowUncached} of ${all} repeats (${pct(all > 0 ? (tot.fastCached + tot.slowUncached) / all : Number.NaN)}).`,
    '',
  );
  lines.push('## Clean points and leave-one-out error', '');
  lines.push(
    '| judgement, model | priced points (clean) | within ±10 % | rms | largest |',
    '| --- | ---: | ---: | ---: | ---: |',
  );
  const same = r.points.filter((p) => p.round5 !== null);
  lines.push(
    `| round 5 (\`step-time-fidelity-r5.json\`: its repeats, its fit), the same ${same.length} points | ${summary(same.map((p) => (p.round5?.clean ? p.round5.error : null)))} |`,
  );
  lines.push(
    `| round 5's judgement and pooled fit on these repeats (${r.points.length} points) | ${summary(r.points.map((p) => p.pooled.error))} |`,
  );
  for (const state of ['cached', 'uncached'] as const) {
    const rows = r.points.flatMap((p) => (p.byState[state] ? [p.byState[state]] : []));
    lines.push(
      `| per state: **${state}** (${rows.length} points with repeats in it) | ${summary(rows.map((x) => (x?.clean ? x.error : null)))} |`,
    );
  }
  const allState = r.points.flatMap((p) => Object.values(p.byState));
  lines.push(
    `| per state: both (point, state) pairs | ${summary(allState.map((x) => (x?.clean ? x.error : null)))} |`,
    '',
  );
  lines.push('## What a twin should price with (the same clean (point, state) pairs, leave-one-out)', '');
  lines.push('| model | priced | within ±10 % | rms | largest |', '| --- | ---: | ---: | ---: | ---: |');
  lines.push(`| the state the run recorded | ${summary(allState.map((x) => x?.error ?? null))} |`);
  lines.push(`| the other state | ${summary(allState.map((x) => x?.otherStateError ?? null))} |`);
  lines.push(`| the mix (${pct(r.share.cached, 0)} cached) | ${summary(allState.map((x) => x?.mixError ?? null))} |`);
  lines.push(`| one fit, states ignored | ${summary(allState.map((x) => x?.blindError ?? null))} |`, '');
  if (r.stateFit !== null) {
    const f = r.stateFit;
    lines.push('## Per-state fit (all clean pairs)', '', '| column | cached | uncached |', '| --- | ---: | ---: |');
    for (const c of f.stateColumns)
      lines.push(
        `| ${c} | ${f.byState.cached.costs[c].toExponential(3)} | ${f.byState.uncached.costs[c].toExponential(3)} |`,
      );
    const cap = (x: number | null | undefined) =>
      x === null || x === undefined ? 'none' : `${(x / 2 ** 20).toFixed(1)} MiB`;
    lines.push(
      `| cacheBytes | ${cap(f.byState.cached.cacheBytes)} | ${cap(f.byState.uncached.cacheBytes)} |`,
      `| kvCacheBytes | ${cap(f.byState.cached.kvCacheBytes)} | ${cap(f.byState.uncached.kvCacheBytes)} |`,
      '',
      `In-sample rms ${pct(f.rmsRelativeError)}, largest ${pct(f.maxRelativeError)}; samples cached ${f.numSamples.cached}, uncached ${f.numSamples.uncached}.`,
      '',
    );
  }
  lines.push('## Points', '');
  lines.push(
    '| point | states (c/u/m) | round 5: ms, error | pooled here: ms, error | cached: repeats, agreeing, ms, error | uncached: repeats, agreeing, ms, error |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const p of r.points) {
    const n = (s: RepeatState) => p.states.filter((x) => x === s).length;
    const cell = (x: StatePointRow | undefined) =>
      x === undefined
        ? '–'
        : `${x.numRepeats}, ${x.numAgreeing}, ${ms(x.seconds)}, ${x.clean ? pct(x.error) : 'not clean'}`;
    lines.push(
      `| ${p.label} | ${n('cached')}/${n('uncached')}/${n('mixed')} | ${p.round5 ? `${ms(p.round5.seconds)}, ${p.round5.clean ? pct(p.round5.error) : 'not clean'}` : '–'} | ${ms(p.pooled.seconds)}, ${p.pooled.clean ? pct(p.pooled.error) : 'not clean'} | ${cell(p.byState.cached)} | ${cell(p.byState.uncached)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
