import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCycles, formatCycle } from './find-cycles.js';
import { readWorkspaceGraphs } from './import-graph.js';

// A two-package workspace on disk whose only cycles are spelled the ways the real tree spells imports:
// `import type` (the cycles issue 10 found were all type-only), `export … from` and a package name.
const root = mkdtempSync(join(tmpdir(), 'oicf-import-graph-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n  - tools\n');
write('packages/a/package.json', JSON.stringify({ name: '@x/a' }));
write('packages/a/src/index.ts', "export { one } from './one.js';\n");
write('packages/a/src/one.ts', "import type { Two } from './two.js';\nexport const one = 1;\nexport type One = Two;\n");
write('packages/a/src/two.ts', "import type { One } from './one';\nexport type Two = One | 2;\n");
write('packages/a/src/uses-b.ts', "import { b } from '@x/b/sub';\nexport const c = b;\n");
write('packages/b/package.json', JSON.stringify({ name: '@x/b', dependencies: { '@x/a': 'workspace:*' } }));
write('packages/b/src/index.ts', "export const b = 2;\nconst data = './data.json';\n");
write('tools/package.json', JSON.stringify({ name: '@x/tools' }));
write('tools/reach.ts', "import '../packages/a/src/index.js';\nimport './missing.js';\n");

describe('readWorkspaceGraphs', () => {
  const graphs = readWorkspaceGraphs(root);

  it('counts a type-only import cycle between files', () => {
    expect(findCycles(graphs.files).map(formatCycle)).toEqual([
      'packages/a/src/one.ts → packages/a/src/two.ts → packages/a/src/one.ts',
    ]);
  });

  it('joins packages by bare imports, declared workspace dependencies and relative reaches', () => {
    expect(Object.fromEntries(graphs.packages)).toEqual({ '@x/a': ['@x/b'], '@x/b': ['@x/a'], '@x/tools': ['@x/a'] });
    expect(findCycles(graphs.packages).map(formatCycle)).toEqual(['@x/a → @x/b → @x/a']);
  });

  it('lists a relative import that resolves to no file', () => {
    expect(graphs.unresolved).toEqual(["tools/reach.ts: './missing.js'"]);
  });

  it('lists a relative import into another workspace, not one inside its own', () => {
    expect(graphs.crossWorkspace).toEqual(["tools/reach.ts: '../packages/a/src/index.js' → @x/a"]);
  });
});
