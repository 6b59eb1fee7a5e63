// Refits the calibrated step-time model to the points a fidelity run measured, without measuring
// again: reads bench/results/step-time-fidelity.json (its pointsA and pointsB), counts every
// point's features with this checkout's cost structures, fits set A's clean points (NNLS, as
// `oicf roofline` does), prices set B out-of-sample and rewrites the results. Not a test.
// Run: `pnpm --filter @oicf/kernels bench:step-time:refit` (`-- --in <file>` another run's json;
// `-- --print` also prints every point's error to stdout). Needs no lock (no kernel runs).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RooflinePoint } from '../src/index.js';
import { FULL_SWEEP } from '../src/roofline/sweep-plan.js';
import { fidelityRows, fitSweepPoints, repeatability } from './step-time-fit-points.js';
import { type FidelityMeta, type FidelityRow, fidelityMarkdown } from './step-time-report.js';

const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: { in: { type: 'string' }, print: { type: 'boolean' } },
});
const here = dirname(fileURLToPath(import.meta.url));
const inPath = values.in ?? join(here, 'results', 'step-time-fidelity.json');
const saved = JSON.parse(readFileSync(inPath, 'utf8')) as FidelityMeta & {
  pointsA: RooflinePoint[];
  pointsB: RooflinePoint[];
  intraOpNumThreads?: number;
};
const { fit, crossValidation, priceB } = fitSweepPoints(saved.pointsA, saved.pointsB, FULL_SWEEP);
const rows: FidelityRow[] = fidelityRows(saved.pointsB, priceB);
if (values.print === true) {
  for (const r of rows)
    process.stdout.write(
      `${r.clean ? ' ' : '✗'} ${r.label.padEnd(34)} ${(r.measuredSeconds * 1e3).toFixed(2).padStart(8)} ${(r.calibratedSeconds * 1e3).toFixed(2).padStart(8)} ${(r.error * 100).toFixed(1).padStart(6)} %\n`,
    );
  process.stdout.write(`${JSON.stringify(fit.costs)}\n`);
}
const meta: FidelityMeta = {
  ...saved,
  command: `${saved.command}; refitted by \`pnpm --filter @oicf/kernels bench:step-time:refit\``,
  fit,
  crossValidationA: crossValidation,
  repeatability: repeatability(saved.pointsA, saved.pointsB),
};
writeFileSync(inPath, `${JSON.stringify({ ...saved, ...meta, rows }, null, 2)}\n`);
writeFileSync(inPath.replace(/\.json$/, '.md'), fidelityMarkdown(meta, rows));
process.stderr.write(`wrote ${inPath} and its .md\n`);
