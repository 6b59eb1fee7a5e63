import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import type { Graph } from './find-cycles.js';

/**
 * The import graphs of the workspace, read from the sources with TypeScript's own pre-processor
 * (`ts.preProcessFile`: every `import`, `import type`, `export … from`, `import()` and `require`, type-only
 * ones included, since a type-only cycle is still a cycle a reader must untangle).
 *
 * - files: one node per source file (repo-relative path), an edge per relative import that resolves to
 *   a file of the workspace (`./x.js` → `./x.ts`, `./dir` → `./dir/index.ts`).
 * - packages: one node per workspace (its package.json `name`), an edge per bare import of another
 *   workspace (`@oicf/kv`, `@oicf/pool-client/wire`), per relative import into another workspace's
 *   folder (a test reaching into `packages/kv/src` by path) and per declared `workspace:` dependency.
 * - crossWorkspace: those relative imports into another workspace's folder, listed (they bypass the
 *   package's `exports` and its declared dependencies; import the package by name instead).
 */

export interface WorkspaceGraphs {
  readonly files: Graph;
  readonly packages: Graph;
  /** Relative imports that resolve to no file: a typo the type checker also reports; listed for the test. */
  readonly unresolved: readonly string[];
  /** Relative imports that resolve into another workspace's folder: `file: 'specifier' → @pkg`. */
  readonly crossWorkspace: readonly string[];
}

const SOURCE = /\.(ts|mts|cts|tsx)$/;
/** A relative specifier naming code: `./x.js`, `./x.ts`, `./x`, `../dir`; not `./data.json`. */
const CODE_SPECIFIER = /(\.(m|c)?(js|ts)x?|\/[^./]*|^\.\.?)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'test-results', '.turbo', 'generated', 'results']);

/** Workspace folders from pnpm-workspace.yaml's `packages:` globs (only `dir/*` and `dir` forms are used). */
export function workspaceDirs(root: string): string[] {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...yaml.matchAll(/^\s+-\s+['"]?([^'"\s#]+)['"]?\s*$/gm)].map((m) => m[1] as string);
  const dirs: string[] = [];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const parent = join(root, glob.slice(0, -2));
      for (const name of readdirSync(parent).sort()) {
        if (existsSync(join(parent, name, 'package.json'))) dirs.push(join(parent, name));
      }
    } else if (existsSync(join(root, glob, 'package.json'))) {
      dirs.push(join(root, glob));
    }
  }
  return dirs;
}

export function readWorkspaceGraphs(root: string): WorkspaceGraphs {
  const dirs = workspaceDirs(root);
  const names = new Map<string, string>(); // package name → dir
  const declared = new Map<string, string[]>();
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    names.set(pkg.name, dir);
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    declared.set(
      pkg.name,
      Object.entries(deps)
        .filter(([, version]) => version.startsWith('workspace:'))
        .map(([name]) => name),
    );
  }
  const files = new Map<string, string[]>();
  const packages = new Map<string, Set<string>>();
  const unresolved: string[] = [];
  const crossWorkspace: string[] = [];
  for (const [name, dir] of names) {
    const edges = new Set(declared.get(name));
    for (const file of sourceFiles(dir)) {
      const from = toKey(root, file);
      const targets: string[] = [];
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) {
          if (!CODE_SPECIFIER.test(specifier)) continue; // ./x.json, ../package.json: data, not a module
          const target = resolveRelative(dirname(file), specifier);
          if (!target) {
            unresolved.push(`${from}: '${specifier}'`);
            continue;
          }
          targets.push(toKey(root, target));
          const owner = ownerOf(target, names);
          if (owner && owner !== name) {
            edges.add(owner);
            crossWorkspace.push(`${from}: '${specifier}' → ${owner}`);
          }
          continue;
        }
        const imported = workspaceOf(specifier, names);
        if (imported && imported !== name) edges.add(imported);
      }
      files.set(from, [...new Set(targets)]);
    }
    packages.set(name, edges);
  }
  return {
    files,
    packages: new Map([...packages].map(([name, edges]) => [name, [...edges].sort()])),
    unresolved,
    crossWorkspace,
  };
}

/** Module specifiers of one file, type-only imports included. */
export function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((ref) => ref.fileName);
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (SKIP_DIRS.has(entry) || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) {
      // A nested workspace (none today) is scanned as its own package, not as part of this one.
      if (!existsSync(join(path, 'package.json'))) found.push(...sourceFiles(path));
    } else if (SOURCE.test(entry) && !entry.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found;
}

/** `./x.js` → x.ts (NodeNext spelling), `./x` → x.ts, `./dir` → dir/index.ts; undefined when none exists. */
function resolveRelative(fromDir: string, specifier: string): string | undefined {
  const base = resolve(fromDir, specifier);
  const stem = base.replace(/\.(m|c)?js$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.mts`, `${stem}.cts`, `${stem}.tsx`, join(base, 'index.ts')];
  return candidates.find((path) => SOURCE.test(path) && existsSync(path) && statSync(path).isFile());
}

function workspaceOf(specifier: string, names: ReadonlyMap<string, string>): string | undefined {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return names.has(name) ? name : undefined;
}

/** The workspace whose folder holds `file` (the longest matching folder). */
function ownerOf(file: string, names: ReadonlyMap<string, string>): string | undefined {
  let best: [string, string] | undefined;
  for (const [name, dir] of names) {
    if (file.startsWith(dir + sep) && (!best || dir.length > best[1].length)) best = [name, dir];
  }
  return best?.[0];
}

function toKey(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}
