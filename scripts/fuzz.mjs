#!/usr/bin/env node
// The long fuzz run (issue 14.6): the properties of test/fuzz/ (CI runs each at its small base count) at
// `--scale` times their base, ≥ 10⁵ cases in all by default, then a table of cases, failures (crashes or
// unclear errors) and hung connections per property. Exits 1 when any property failed.
//
//   node scripts/fuzz.mjs [--scale 10] [--seed 42]      (results also in test-results/fuzz.json)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { scale: { type: 'string', default: '10' }, seed: { type: 'string' } } });
const scale = Number(values.scale);
if (!(scale > 0)) {
  process.stderr.write(`--scale must be a positive number, got ${values.scale}\n`);
  process.exit(2);
}
const outDir = join(root, 'test-results');
mkdirSync(outDir, { recursive: true });
const reportFile = join(outDir, 'fuzz-cases.jsonl');
rmSync(reportFile, { force: true });
const started = Date.now();
const res = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz', '--reporter=dot', '--testTimeout=1800000'],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      OICF_FUZZ_SCALE: String(scale),
      OICF_FUZZ_REPORT: reportFile,
      ...(values.seed === undefined ? {} : { OICF_FUZZ_SEED: values.seed }),
    },
  },
);
const rows = existsSync(reportFile)
  ? readFileSync(reportFile, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l))
  : [];
const total = rows.reduce(
  (a, r) => ({ cases: a.cases + r.numRuns, failures: a.failures + r.failures, hung: a.hung + r.hung }),
  {
    cases: 0,
    failures: 0,
    hung: 0,
  },
);
const seconds = (Date.now() - started) / 1000;
const lines = [
  `| property | cases | failures | hung |`,
  `| --- | ---: | ---: | ---: |`,
  ...rows.map((r) => `| ${r.property} | ${r.numRuns} | ${r.failures} | ${r.hung} |`),
  `| **total** | **${total.cases}** | **${total.failures}** | **${total.hung}** |`,
];
process.stdout.write(`\n${lines.join('\n')}\n\n${total.cases} cases in ${seconds.toFixed(0)} s (scale ${scale})\n`);
writeFileSync(join(outDir, 'fuzz.json'), `${JSON.stringify({ scale, seconds, total, properties: rows }, null, 2)}\n`);
process.exit(res.status === 0 && total.failures === 0 && total.hung === 0 ? 0 : 1);
