#!/usr/bin/env node
// Counts the places in the code that spell a pool tier (issue 10, item 3: "one tier has four spellings
// today"). A place is one line of non-test source (apps/*/src, packages/*/src, *.proto) that, outside
// comments, names a pool tier by any of its spellings: its id ('dram', 'cxl', 'optical-pool', 'disk'),
// its config key (opticalPool), its wire name (TIER_DRAM, …) or an old alias ('nvme', optical_pool).
// Tests, test fixtures (testing/, testing-*.ts), benches, docs and generated code are not counted: they may
// name tiers freely.
//
//   node scripts/count-tier-spellings.mjs [root] [--list]
//
// prints `<n> lines in <m> files` (and with --list each line as `path:line: text`). `root` defaults to
// this checkout; give an unpacked older tree (`git archive <rev> | tar -x -C dir`) to count it the same way.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const list = args.includes('--list');
const root = args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..');

const SPELLING =
  /(['"`])(dram|cxl|optical-pool|optical_pool|opticalPool|disk|nvme)\1|\b(opticalPool|TIER_(?:DRAM|CXL|OPTICAL_POOL|DISK|NVME))\b|(?<![\w.])(dram|cxl|disk|nvme)\s*:|\.(dram|cxl|opticalPool|disk)\b/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', '.turbo', 'generated', 'gen', 'testing', 'bench']);

function* sourceFiles(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) yield* sourceFiles(path);
    } else if (
      /\.proto$/.test(name) ||
      (/\.(ts|mts|mjs)$/.test(name) && !/\.(test|bench)\.\w+$|^testing-/.test(name))
    ) {
      yield path;
    }
  }
}

/** The line without its comment parts (line comments, block comments and JSDoc continuation lines). */
function codeOf(line, state) {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (state.inBlock) {
      const end = line.indexOf('*/', i);
      if (end < 0) return out;
      state.inBlock = false;
      i = end + 2;
      continue;
    }
    const block = line.indexOf('/*', i);
    const lineComment = line.indexOf('//', i);
    if (lineComment >= 0 && (block < 0 || lineComment < block) && !/['"`][^'"`]*$/.test(line.slice(0, lineComment))) {
      return out + line.slice(i, lineComment);
    }
    if (block < 0) return out + line.slice(i);
    out += line.slice(i, block);
    state.inBlock = true;
    i = block + 2;
  }
  return out;
}

const hits = [];
for (const top of ['apps', 'packages']) {
  for (const ws of readdirSync(join(root, top)).sort()) {
    const base = join(root, top, ws);
    for (const sub of ['src', 'proto']) {
      let files;
      try {
        files = [...sourceFiles(join(base, sub))];
      } catch {
        continue;
      }
      for (const file of files) {
        const state = { inBlock: false };
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, n) => {
            if (SPELLING.test(codeOf(line, state)))
              hits.push({ file: relative(root, file).split(sep).join('/'), line: n + 1, text: line.trim() });
          });
      }
    }
  }
}
if (list) for (const h of hits) console.log(`${h.file}:${h.line}: ${h.text}`);
console.log(`${hits.length} lines in ${new Set(hits.map((h) => h.file)).size} files`);
