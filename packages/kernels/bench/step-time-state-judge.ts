// Judges the calibrated step-time model per host cache state (round 6, issue 12.3). Reads the raw repeats
// of `step-time-repeats.bench.ts` runs (read probe before and after each point), classifies every repeat
// of every point by its probes against a threshold chosen from a *separate* stream-probe run
// (`stream-probe.bench.ts`: Otsu on log rate of one working-set size; never from the judged repeats),
// judges each point in each state on that state's repeats (roofline/state-repeats.ts), fits the model
// with the resident-set byte columns and cache capacities per state (step-time/fit-by-state.ts) and
// prices each (point, state) by leave-one-out. Beside it, on the same repeats: round 5's judgement and
// pooled fit (no state), and round 5's own figures on the same points. Writes <out>.{json,md} and a
// step-time file with the per-state section (<out>.step-time.json). Needs no lock (no kernel runs).
//   node --import tsx packages/kernels/bench/step-time-state-judge.ts --threshold-from <probe.json> \
//     --threshold-mib 64 --out packages/kernels/bench/results/step-time-r6-state <repeats.json …>
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type CacheState,
  clusterAgreement,
  FULL_SWEEP,
  judgeByState,
  judgeRepeats,
  pointLabel,
  pointQuery,
  type RepeatState,
  type RooflinePoint,
  repeatState,
  sweepStructures,
  twoGroupSplit,
} from '../src/index.js';
import {
  CACHE_STATES,
  type FitSample,
  fitStepTime,
  fitStepTimeByState,
  leaveOneOut,
  leaveOneOutByState,
  relativeError,
  type StateSample,
  type StepTimeFile,
  saveStepTimeFile,
  structureFeatures,
} from '../src/step-time/index.js';
import type { RepeatsFile } from './step-time-repeats.bench.js';
import { type StateReport, stateMarkdown } from './step-time-state-report.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'threshold-from': { type: 'string' },
    'threshold-mib': { type: 'string', default: '64' },
    round5: { type: 'string' },
    out: { type: 'string' },
  },
});
const results = join(dirname(fileURLToPath(import.meta.url)), 'results');
if (positionals.length === 0) throw new RangeError('give one or more step-time-repeats json files');
const probePath = values['threshold-from'];
if (probePath === undefined) throw new RangeError('--threshold-from <stream-probe json> is required');
const mib = Number(values['threshold-mib']);
const probeRun = JSON.parse(readFileSync(probePath, 'utf8')) as { sizesMiB: number[]; samples: { gbps: number[] }[] };
const sizeIndex = probeRun.sizesMiB.indexOf(mib);
if (sizeIndex < 0)
  throw new RangeError(`--threshold-mib ${mib}: ${probePath} read ${probeRun.sizesMiB.join(', ')} MiB`);
const split = twoGroupSplit(probeRun.samples.map((s) => s.gbps[sizeIndex] ?? Number.NaN));
const threshold = { mib, gbps: split.threshold };
const out = values.out ?? join(results, 'step-time-r6-state');
const log = (m: string) => process.stderr.write(`${m}\n`);
log(`threshold: ${mib} MiB at ${split.threshold.toFixed(2)} GB/s (Otsu over ${probeRun.samples.length} probe samples)`);

const files = positionals.map((p) => ({ path: p, file: JSON.parse(readFileSync(p, 'utf8')) as RepeatsFile }));
const byLabel = new Map<string, { point: RooflinePoint; repeats: { p: RooflinePoint; state: RepeatState | null }[] }>();
for (const { file } of files)
  for (const rep of file.repeats)
    for (const p of rep.points) {
      const r = { p, state: repeatState(p, threshold) };
      const e = byLabel.get(pointLabel(p));
      if (e === undefined) byLabel.set(pointLabel(p), { point: p, repeats: [r] });
      else e.repeats.push(r);
    }
const structures = sweepStructures(FULL_SWEEP);
const featuresOf = (p: RooflinePoint) => structureFeatures(structures.of(p), pointQuery(p));

const points = [...byLabel.entries()].map(([label, { point, repeats }]) => {
  const runs = repeats.map((r) => ({ callRunsSeconds: r.p.callRunsSeconds, quality: r.p.quality, state: r.state }));
  return { label, point, states: repeats.map((r) => r.state), pooled: judgeRepeats(runs), byState: judgeByState(runs) };
});

// Does the probe tell a bimodal point's cluster? Points whose usable repeats spread > 20 % (round 5b's
// criterion for "two clusters", chosen before this round) with at least 4 usable repeats.
const bimodal = points.flatMap((pt) => {
  const usable = pt.pooled.repeats.flatMap((f, i) =>
    f.usable && f.seconds !== null ? [{ seconds: f.seconds, state: pt.states[i] ?? null }] : [],
  );
  if (usable.length < 4 || !(pt.pooled.spread > 0.2) || new Set(usable.map((u) => u.seconds)).size < 2) return [];
  return [{ label: pt.label, spread: pt.pooled.spread, agreement: clusterAgreement(usable) }];
});

// Round 5's method on these repeats: one judgement and one fit over every repeat.
const pooledClean = points.filter((pt) => pt.pooled.clean);
const pooledSamples: FitSample[] = pooledClean.map((pt) => ({
  features: featuresOf(pt.point),
  seconds: pt.pooled.seconds,
}));
log(`pooled: ${pooledClean.length} clean points; fitting and leave-one-out…`);
const pooledLoo = pooledSamples.length > 1 ? leaveOneOut(pooledSamples) : [];

// Per state.
const stateRows = points.flatMap((pt) =>
  CACHE_STATES.flatMap((state) => {
    const j = pt.byState.byState[state];
    return j === undefined ? [] : [{ label: pt.label, point: pt.point, state, judged: j }];
  }),
);
const stateClean = stateRows.filter((r) => r.judged.clean);
const stateSamples: (StateSample & { label: string })[] = stateClean.map((r) => ({
  label: `${r.label} [${r.state}]`,
  features: featuresOf(r.point),
  seconds: r.judged.seconds,
  state: r.state,
}));
const counts = { cached: 0, uncached: 0, mixed: 0, unknown: 0 };
for (const pt of points) for (const s of pt.states) counts[s ?? 'unknown']++;
const share = { cached: counts.cached / (counts.cached + counts.uncached), uncached: 0 };
share.uncached = 1 - share.cached;
log(`per state: ${stateSamples.length} clean (point, state) pairs; fitting and leave-one-out…`);
const haveBoth = CACHE_STATES.every((s) => stateSamples.some((x) => x.state === s));
const stateFit = haveBoth ? fitStepTimeByState(stateSamples) : undefined;
const stateLoo = haveBoth ? leaveOneOutByState(stateSamples) : [];
// What a twin that does not know the state would say: the one fit over the same per-state samples
// (states ignored), by leave-one-out too.
const blindLoo = stateSamples.length > 1 ? leaveOneOut(stateSamples) : [];

const round5 = new Map(
  (
    JSON.parse(readFileSync(values.round5 ?? join(results, 'step-time-fidelity-r5.json'), 'utf8')) as {
      rows: { label: string; clean: boolean; error: number; measuredSeconds: number }[];
    }
  ).rows.map((r) => [r.label, r]),
);

const report: StateReport = {
  inputs: files.map((f) => relative(process.cwd(), f.path)),
  commands: files.flatMap((f) => f.file.commands),
  repeats: files.flatMap((f) =>
    f.file.repeats.map((r) => ({ startedAt: r.startedAt, endedAt: r.endedAt, loadAverage: r.loadAverage })),
  ),
  threshold: { ...threshold, source: relative(process.cwd(), probePath), ...split },
  counts,
  share,
  bimodal,
  points: points.map((pt) => {
    const r5 = round5.get(pt.label);
    const pooledK = pooledClean.indexOf(pt);
    return {
      label: pt.label,
      states: pt.states,
      pooled: {
        clean: pt.pooled.clean,
        seconds: pt.pooled.seconds,
        spread: pt.pooled.spread,
        error: pooledK >= 0 ? relativeError(pooledLoo[pooledK] ?? Number.NaN, pt.pooled.seconds) : null,
      },
      byState: Object.fromEntries(
        CACHE_STATES.flatMap((state) => {
          const j = pt.byState.byState[state];
          if (j === undefined) return [];
          const k = stateClean.findIndex((r) => r.label === pt.label && r.state === state);
          const loo = k >= 0 ? stateLoo[k] : undefined;
          const other: CacheState = state === 'cached' ? 'uncached' : 'cached';
          const err = (p: number | undefined) => (p === undefined ? null : relativeError(p, j.seconds));
          return [
            [
              state,
              {
                clean: j.clean,
                seconds: j.seconds,
                numRepeats: j.repeats.length,
                numAgreeing: j.numAgreeing,
                spread: j.spread,
                error: err(loo?.[state]),
                otherStateError: err(loo?.[other]),
                mixError: err(
                  loo === undefined ? undefined : share.cached * loo.cached + share.uncached * loo.uncached,
                ),
                blindError: err(k >= 0 ? blindLoo[k] : undefined),
              },
            ],
          ];
        }),
      ),
      round5: r5 === undefined ? null : { clean: r5.clean, error: r5.error, seconds: r5.measuredSeconds },
    };
  }),
  stateFit: stateFit ?? null,
};
writeFileSync(`${out}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${out}.md`, stateMarkdown(report));
if (stateFit !== undefined) {
  const starts = report.repeats.map((r) => r.startedAt).sort();
  const loads = report.repeats.flatMap((r) => r.loadAverage);
  const pooledFit = fitStepTime(stateSamples);
  const blindErr = blindLoo.map((p, i) => Math.abs(relativeError(p, stateSamples[i]?.seconds ?? Number.NaN)));
  const cv = (state: CacheState) => {
    const e = stateSamples.flatMap((s, i) =>
      s.state === state ? [Math.abs(relativeError(stateLoo[i]?.[state] ?? Number.NaN, s.seconds))] : [],
    );
    return {
      rmsRelativeError: Math.sqrt(e.reduce((a, x) => a + x * x, 0) / e.length),
      maxRelativeError: Math.max(...e),
    };
  };
  const file: StepTimeFile = {
    kind: 'oicf-step-time',
    version: 3,
    measuredAt: starts[starts.length - 1] ?? '',
    target: 'runner-call',
    intraOpNumThreads: files[0]?.file.intraOpNumThreads ?? 1,
    quick: false,
    loadAverage: [Math.min(...loads), Math.max(...loads)],
    fittedOn: 'clean',
    fit: pooledFit,
    crossValidation: {
      rmsRelativeError: Math.sqrt(blindErr.reduce((a, x) => a + x * x, 0) / blindErr.length),
      maxRelativeError: Math.max(...blindErr),
    },
    samples: stateSamples.map(({ label, features, seconds }) => ({ label, features, seconds })),
    structures: [],
    states: {
      threshold,
      stateColumns: stateFit.stateColumns,
      byState: stateFit.byState,
      numSamples: stateFit.numSamples,
      shareOfRepeats: share,
      crossValidation: { cached: cv('cached'), uncached: cv('uncached') },
    },
  };
  saveStepTimeFile(`${out}.step-time.json`, file);
}
log(`wrote ${out}.{json,md}${stateFit ? ', .step-time.json' : ' (one state only: no per-state fit)'}`);
