// Judges the calibrated step-time model against repeated measurements (round 5): reads the raw
// repeats of one or more `step-time-repeats.bench.ts` runs (merged by point), judges each point by
// whether its repeats agree (src/roofline/point-repeats.ts), fits the model to the clean points
// (NNLS, as `oicf roofline`) and prices each clean point by leave-one-out (a fit to every other
// clean point: out-of-sample), the others by the fit to all clean points (reported, not judged).
// Writes bench/results/step-time-fidelity-r5.{json,md}. Needs no lock (no kernel runs). Run:
//   node --import tsx packages/kernels/bench/step-time-judge.ts bench/results/step-time-r5-raw/*.json
// (`--out <base>` another result name; `--print` each point's error to stdout; `--no-kv-knee` fits
// without the KV cache term, as file version 2 did, for the same points side by side).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '@oicf/core';
import {
  DEFAULT_REPEAT_JUDGEMENT,
  judgeRepeats,
  pointLabel,
  pointQuery,
  type RooflinePoint,
  sweepStructures,
} from '../src/index.js';
import { FULL_SWEEP } from '../src/roofline/sweep-plan.js';
import {
  type FitSample,
  fitStepTime,
  leaveOneOut,
  predictSeconds,
  relativeError,
  type StepFeatures,
  structureFeatures,
} from '../src/step-time/index.js';
import { type JudgedRow, judgeMarkdown } from './step-time-judge-report.js';
import type { RepeatsFile } from './step-time-repeats.bench.js';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { out: { type: 'string' }, print: { type: 'boolean' }, 'no-kv-knee': { type: 'boolean' } },
});
if (positionals.length === 0) throw new RangeError('give one or more step-time-repeats json files');
const here = dirname(fileURLToPath(import.meta.url));
const outBase = values.out ?? join(here, 'results', 'step-time-fidelity-r5');
const files = positionals.map((p) => ({ path: p, file: JSON.parse(readFileSync(p, 'utf8')) as RepeatsFile }));
for (const { path, file } of files)
  if (file.schema !== 'oicf-step-time-repeats/1') throw new RangeError(`${path}: not a step-time repeats file`);

// Every point's repeats, in time order, over all files.
const byLabel = new Map<string, { point: RooflinePoint; repeats: RooflinePoint[] }>();
for (const { file } of files)
  for (const rep of file.repeats)
    for (const p of rep.points) {
      const e = byLabel.get(pointLabel(p));
      if (e === undefined) byLabel.set(pointLabel(p), { point: p, repeats: [p] });
      else e.repeats.push(p);
    }

const structures = sweepStructures(FULL_SWEEP);
const featuresOf = (p: RooflinePoint): StepFeatures => structureFeatures(structures.of(p), pointQuery(p));

const judged = [...byLabel.values()].map(({ point, repeats }) => ({
  point,
  judged: judgeRepeats(repeats),
  load: median(repeats.map((r) => r.loadAverage[0])),
}));
const clean = judged.filter((j) => j.judged.clean);
const samples: FitSample[] = clean.map((j) => ({ features: featuresOf(j.point), seconds: j.judged.seconds }));
const search = values['no-kv-knee'] === true ? { kvCacheBytes: [] } : {};
const fit = fitStepTime(samples, search);
const loo = leaveOneOut(samples, search);
const rows: JudgedRow[] = judged.map((j) => {
  const k = clean.indexOf(j);
  const predicted = k >= 0 ? (loo[k] ?? Number.NaN) : predictSeconds(fit, featuresOf(j.point));
  return {
    label: pointLabel(j.point),
    measuredSeconds: j.judged.seconds,
    predictedSeconds: predicted,
    error: relativeError(predicted, j.judged.seconds),
    analyticSeconds: j.point.predictedSeconds,
    clean: j.judged.clean,
    numRepeats: j.judged.repeats.length,
    numUsable: j.judged.numUsable,
    numAgreeing: j.judged.numAgreeing,
    spread: j.judged.spread,
    repeatSeconds: j.judged.repeats.map((r) => r.seconds),
    repeatUsable: j.judged.repeats.map((r) => r.usable),
    otherCores: j.judged.repeats.map((r) => r.otherCores),
    loadAverage: j.load,
  };
});
if (values.print === true)
  for (const r of rows)
    process.stdout.write(
      `${r.clean ? ' ' : '✗'} ${r.label.padEnd(34)} ${(r.measuredSeconds * 1e3).toFixed(2).padStart(8)} ${(r.predictedSeconds * 1e3).toFixed(2).padStart(8)} ${(r.error * 100).toFixed(1).padStart(6)} %  spread ${(r.spread * 100).toFixed(1)} %\n`,
    );

const meta = {
  commands: files.flatMap((f) => f.file.commands),
  inputs: files.map((f) => relative(process.cwd(), f.path)),
  repeats: files.flatMap((f) =>
    f.file.repeats.map((r) => ({
      variants: f.file.variants,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      loadAverage: r.loadAverage,
    })),
  ),
  numRuns: files[0]?.file.numRuns ?? 0,
  minTimedSeconds: files[0]?.file.minTimedSeconds ?? 0,
  intraOpNumThreads: files[0]?.file.intraOpNumThreads ?? 0,
  calibration: files[0]?.file.calibration ?? '',
  judgement: DEFAULT_REPEAT_JUDGEMENT,
  kvKnee: values['no-kv-knee'] !== true,
  fit,
};
writeFileSync(`${outBase}.json`, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
writeFileSync(`${outBase}.md`, judgeMarkdown(meta, rows));
process.stderr.write(`wrote ${outBase}.{json,md}\n`);
