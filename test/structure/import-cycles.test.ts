import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Cycle, findCycles, formatCycle } from './find-cycles.js';
import { readWorkspaceGraphs } from './import-graph.js';

/**
 * No import cycles, enforced: between source files of any workspace (type-only imports count) and between
 * workspace packages. The finder itself is unit-tested in find-cycles.test.ts.
 *
 * KNOWN_FILE_CYCLES lists cycles being broken on other branches right now (issue 10, item 7); each entry is
 * the sorted member list of one cycle. It must only shrink: an entry that no longer matches a cycle fails
 * too, so whoever merges the fix deletes the entry, and the list ends empty.
 */
const KNOWN_FILE_CYCLES: readonly (readonly string[])[] = [];

const root = join(import.meta.dirname, '..', '..');
const graphs = readWorkspaceGraphs(root);
const key = (members: readonly string[]) => members.join(' | ');
const known = new Set(KNOWN_FILE_CYCLES.map(key));

describe('import cycles', () => {
  it('scans every workspace (a scanner that reads nothing would pass vacuously)', () => {
    // Hundreds of source files and every workspace of pnpm-workspace.yaml, the core among them.
    expect(graphs.files.size).toBeGreaterThan(300);
    expect([...graphs.packages.keys()]).toEqual(expect.arrayContaining(['@oicf/core', '@oicf/cli', '@oicf/test']));
    expect(graphs.unresolved).toEqual([]);
  });

  it('has no cycle between files beyond the known ones', () => {
    const cycles = findCycles(graphs.files);
    const fresh = cycles.filter((cycle) => !known.has(key(cycle.members)));
    expect(fresh.map(describeCycle)).toEqual([]);
  });

  it('lists no known cycle that is already gone (delete its entry)', () => {
    const present = new Set(findCycles(graphs.files).map((cycle) => key(cycle.members)));
    expect(KNOWN_FILE_CYCLES.map(key).filter((entry) => !present.has(entry))).toEqual([]);
  });

  it('has no cycle between workspace packages', () => {
    expect(findCycles(graphs.packages).map(describeCycle)).toEqual([]);
  });
});

describe('workspace boundaries', () => {
  it('has no relative import into another workspace (import it by its package name)', () => {
    expect(graphs.crossWorkspace).toEqual([]);
  });
});

function describeCycle(cycle: Cycle): string {
  return `${formatCycle(cycle)}${cycle.members.length > cycle.path.length - 1 ? ` (component: ${cycle.members.join(', ')})` : ''}`;
}
