// The step-time bench's own fit (packages/kernels/bench/results/step-time-fidelity.json: set A's clean
// points, measured by `pnpm --filter @oicf/kernels bench:step-time`, 1 onnxruntime thread) written as a
// step-time file the fidelity bench and `oicf simulate` load (`--step-time-file`). Nothing is fitted here:
// the costs are the bench's, the samples its clean set-A points; the structures are counted when the file
// is read (calibratedModelFromFile). Not a test; needs no lock (no kernel runs).
//
//   node --import tsx bench/sim-fidelity-step-time.ts [--in <step-time-fidelity.json>] --out <step-time.json>
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseStepTimeFile, type StepTimeFile, saveStepTimeFile } from '@oicf/kernels/step-time';

const { values } = parseArgs({
  options: {
    in: { type: 'string', default: 'packages/kernels/bench/results/step-time-fidelity.json' },
    out: { type: 'string' },
  },
});
if (values.out === undefined) throw new Error('--out <step-time.json> is required');
const inPath = values.in ?? '';
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
const saved = JSON.parse(readFileSync(inPath, 'utf8')) as {
  passA: { startedAt: string; loadAverage: number[][] };
  intraOpNumThreads: number;
  fit: StepTimeFile['fit'];
  crossValidationA: StepTimeFile['crossValidation'];
  pointsA: SweepPoint[];
};
const loads = saved.passA.loadAverage.flat();
const file: StepTimeFile = {
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
// Validates as any reader would (throws naming the bad field).
parseStepTimeFile(JSON.stringify(file), values.out);
saveStepTimeFile(values.out, file);
console.log(`wrote ${values.out}: ${file.samples.length} clean points of ${inPath} (${file.measuredAt})`);
