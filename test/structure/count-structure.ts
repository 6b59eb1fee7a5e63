// Prints the import cycles (between files and between workspace packages) and the relative imports that
// cross a workspace boundary, of any checkout: the figures the structure tests hold at zero, for before /
// after comparisons (docs/issue-10-before-after.md).
//
//   node --import tsx test/structure/count-structure.ts [root]     (root: default this checkout)
//
// An older tree can be unpacked with `git archive <rev> | tar -x -C dir` and counted the same way.
import { join } from 'node:path';
import { findCycles, formatCycle } from './find-cycles.js';
import { readWorkspaceGraphs } from './import-graph.js';

const root = process.argv[2] ?? join(import.meta.dirname, '..', '..');
const graphs = readWorkspaceGraphs(root);
const fileCycles = findCycles(graphs.files);
const packageCycles = findCycles(graphs.packages);
for (const c of fileCycles) console.log(`file cycle: ${formatCycle(c)}`);
for (const c of packageCycles) console.log(`package cycle: ${formatCycle(c)}`);
for (const line of graphs.crossWorkspace) console.log(`cross-workspace: ${line}`);
console.log(
  `${fileCycles.length} file cycles, ${packageCycles.length} package cycles, ${graphs.crossWorkspace.length} cross-workspace relative imports (${graphs.files.size} source files)`,
);
