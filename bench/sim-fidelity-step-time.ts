// The step-time bench's own fit written as a step-time file the fidelity bench and `oicf simulate` load
// (`--step-time-file`). Nothing is fitted here: the costs are the bench's, the samples its clean points;
// the structures are counted when the file is read (calibratedModelFromFile). Not a test; needs no lock
// (no kernel runs). Two inputs:
//   --in <step-time-fidelity.json>: the one-pass bench (`bench:step-time`), a version-2 fit of its clean
//     set-A points (the default, packages/kernels/bench/results/step-time-fidelity.json);
//   --judged <step-time-fidelity-r5.json>: the repeats' judge (`bench:step-time:judge`), a version-3 fit of
//     the points whose repeats agree; their features are counted here from each row's label. With
//     `--only 'tiny-gqa fp32'` the judge's clean points of that model alone are refitted here (NNLS, the
//     judge's fit; leave-one-out over them as the file's cross-validation): the served model's own fit,
//     which the joint fit over every variant trades against the others' points (round 5b: its long
//     prefills 18–23 % over measured).
//
//   node --import tsx bench/sim-fidelity-step-time.ts [--in <file> | --judged <file> [--only <model weights>]
//     [--points clean|usable]] --out <step-time.json>
// `--points usable` (round 10) fits every judged point with ≥ 3 usable repeats at their median, not only the clean
// ones (sim-fidelity-judged-samples.ts).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  fitStepTime,
  leaveOneOut,
  parseStepTimeFile,
  relativeError,
  type StepTimeFile,
  saveStepTimeFile,
} from '@oicf/kernels/step-time';
import { type JudgedPoints, type JudgedRow, judgedSamples } from './sim-fidelity-judged-samples.js';

const { values } = parseArgs({
  options: {
    in: { type: 'string' },
    judged: { type: 'string' },
    only: { type: 'string' },
    points: { type: 'string', default: 'clean' },
    out: { type: 'string' },
  },
});
if (values.out === undefined) throw new Error('--out <step-time.json> is required');
const points = values.points as JudgedPoints;
if (points !== 'clean' && points !== 'usable')
  throw new RangeError(`--points must be clean or usable; got '${values.points}'`);
if (values.in !== undefined && values.judged !== undefined) throw new Error('give --in or --judged, not both');
interface SweepPoint {
  modelId: string;
  phase: string;
  batch: number;
  newTokens: number;
  contextTokens: number[];
  features: StepTimeFile['samples'][number]['features'];
  seconds: number;
  clean: boolean;
  loadAverage?: number;
}

function fromOnePass(inPath: string): unknown {
  const saved = JSON.parse(readFileSync(inPath, 'utf8')) as {
    passA: { startedAt: string; loadAverage: number[][] };
    intraOpNumThreads: number;
    fit: StepTimeFile['fit'];
    crossValidationA: StepTimeFile['crossValidation'];
    pointsA: SweepPoint[];
  };
  const loads = saved.passA.loadAverage.flat();
  return {
    kind: 'oicf-step-time',
    version: 2,
    measuredAt: saved.passA.startedAt,
    target: 'runner-call',
    intraOpNumThreads: saved.intraOpNumThreads,
    quick: false,
    loadAverage: [loads[0] ?? 0, loads[loads.length - 1] ?? 0],
    fittedOn: 'clean',
    fit: saved.fit,
    crossValidation: saved.crossValidationA,
    samples: saved.pointsA
      .filter((p) => p.clean)
      .map((p) => ({
        label: `${p.modelId} ${p.phase} ${p.phase === 'prefill' ? p.newTokens : `b${p.batch} L${p.contextTokens[0]}`}`,
        features: p.features,
        seconds: p.seconds,
      })),
    structures: [],
  };
}

function fromJudged(inPath: string): StepTimeFile {
  const saved = JSON.parse(readFileSync(inPath, 'utf8')) as {
    repeats: { startedAt: string; loadAverage: [number, number] }[];
    intraOpNumThreads: number;
    fit: StepTimeFile['fit'];
    rows: JudgedRow[];
  };
  const starts = saved.repeats.map((r) => r.startedAt).sort();
  const loads = saved.repeats.flatMap((r) => r.loadAverage);
  const only = values.only;
  const rows = only === undefined ? saved.rows : saved.rows.filter((r) => r.label.startsWith(`${only} `));
  if (rows.filter((r) => r.clean).length === 0) throw new Error(`--only '${only}': no clean point of it in ${inPath}`);
  const judged = judgedSamples(rows, points);
  const samples = judged.samples;
  let fit = saved.fit;
  let crossValidation = judged.crossValidation;
  if (only !== undefined) {
    fit = fitStepTime(samples);
    const errors = leaveOneOut(samples).map((p, i) => Math.abs(relativeError(p, samples[i]?.seconds ?? Number.NaN)));
    crossValidation = {
      rmsRelativeError: Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length),
      maxRelativeError: Math.max(...errors),
    };
  }
  return {
    kind: 'oicf-step-time',
    version: 3,
    measuredAt: starts[starts.length - 1] ?? '',
    target: 'runner-call',
    intraOpNumThreads: saved.intraOpNumThreads,
    quick: false,
    loadAverage: [Math.min(...loads), Math.max(...loads)],
    // The file format knows 'clean' and 'all'; 'usable' rows are every point the machine test let through.
    fittedOn: points === 'clean' ? 'clean' : 'all',
    fit,
    crossValidation,
    samples,
    structures: [],
  };
}

const inPath = values.judged ?? values.in ?? 'packages/kernels/bench/results/step-time-fidelity.json';
const raw = values.judged !== undefined ? fromJudged(inPath) : fromOnePass(inPath);
// Validates as any reader would (throws naming the bad field; a version-2 file loads as version 3).
const file = parseStepTimeFile(JSON.stringify(raw), values.out);
saveStepTimeFile(values.out, file);
console.log(`wrote ${values.out}: ${file.samples.length} ${points} points of ${inPath} (${file.measuredAt})`);
