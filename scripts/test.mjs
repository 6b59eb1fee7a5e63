#!/usr/bin/env node
// Runs every test in the workspace with vitest and prints, as the last line,
// "N passed, N failed, N skipped" computed from vitest's JSON report (CI reads that line).
// Before it, each skipped test as `file › name — why`: the reason is the "(skipped: …)" a test
// adds to its name when it skips (a missing shared trace or tool), so a skip never goes unexplained.
// Extra arguments are passed to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-results');
mkdirSync(outDir, { recursive: true });
const report = join(outDir, 'vitest.json');
rmSync(report, { force: true });
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const res = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
const skipped = [];
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = (json.numFailedTests ?? 0) + (json.numRuntimeErrorTestSuites ?? 0);
  for (const file of json.testResults ?? []) {
    // A file that fails to load has no tests; count it as a failure too.
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed += 1;
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'skipped' || test.status === 'pending' || test.status === 'todo') {
        skipped.push(describeSkip(relative(root, file.name), [...(test.ancestorTitles ?? []), test.title]));
      }
    }
  }
} else {
  failed = 1;
}
if (res.status !== 0 && failed === 0) failed = 1;
if (skipped.length > 0) {
  console.log(`\nSkipped (${skipped.length}):`);
  for (const line of skipped) console.log(`  ${line}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped.length} skipped`);
process.exit(failed === 0 ? 0 : 1);

/** `file › suite › test — why`, the "(skipped: why)" moved out of the names it was written into. */
function describeSkip(file, titles) {
  const reasons = [];
  const names = titles.map((title) =>
    title.replace(/\s*\(skipped: (.*)\)\s*$/, (_, why) => {
      reasons.push(why);
      return '';
    }),
  );
  const why = reasons.length > 0 ? reasons.join('; ') : 'no reason given (add "(skipped: why)" to its name)';
  return `${[file, ...names].join(' › ')} — ${why}`;
}
