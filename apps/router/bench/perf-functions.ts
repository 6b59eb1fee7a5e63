// Where a Node process's main-thread CPU goes by JavaScript function, from a Linux perf recording (the same
// recordings as perf-parts.ts: `perf record -F 999 -g -p <pid>`, names from --perf-basic-prof). A script, not
// a test (round 11, issue 11). Two figures per function: "self" charges each sample to the innermost
// JavaScript frame on its stack (kernel and native time under it included, as perf-parts.ts does by source
// file); "inclusive" charges it to every distinct JavaScript function on the stack (a caller's share holds
// its callees').
//
//   node --import tsx apps/router/bench/perf-functions.ts <perf.data> --requests N [--top 60] [--bundle dist/services/router.mjs]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { bundleSources } from './bundle-sources.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '60' }, bundle: { type: 'string' }, requests: { type: 'string' } },
});
const file = positionals[0];
if (file === undefined || values.requests === undefined) {
  process.stderr.write('usage: perf-functions.ts <perf.data> --requests N [--top 60] [--bundle <bundle.mjs>]\n');
  process.exit(2);
}
const requests = Number(values.requests);
const text = execFileSync('perf', ['script', '-i', file, '-F', 'pid,tid,ip,sym,dso'], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
  stdio: ['ignore', 'pipe', 'ignore'],
});

const sourceOf = bundleSources(values.bundle);
function sourceOfLine(line: number): string {
  return sourceOf.of(line)?.replace(/^.*\/src\//, '') ?? 'bundle';
}
/** A JIT frame's display name: function and source (bundle lines mapped to their source file). */
function jsName(sym: string): string | undefined {
  const m = /JS:\S*?([\w$.<>]*)\s+(\S+)/.exec(sym);
  if (m === null) return undefined;
  const fn = (m[1] as string).replace(/^\*|^~|^\^/, '') || '(anonymous)';
  const loc = m[2] as string;
  const inBundle = /\/dist\/services\/[\w-]+\.mjs:(\d+):/.exec(loc);
  if (inBundle !== null && sourceOf.any) return `${fn} ${sourceOfLine(Number(inBundle[1]))}`;
  const pkg = /node_modules\/\.pnpm\/([^/]+)\//.exec(loc);
  if (pkg !== null) return `${fn} [${pkg[1]}]`;
  if (loc.startsWith('node:')) return `${fn} ${loc.replace(/:\d+:\d+$/, '')}`;
  return `${fn} ${loc.replace(/^.*\//, '')}`;
}

const self = new Map<string, number>();
const incl = new Map<string, number>();
let n = 0;
let frames: string[] = [];
let mainThread = false;
const flush = () => {
  if (!mainThread) return;
  n++;
  const names = frames.map(jsName).filter((x): x is string => x !== undefined);
  const inner = names[0] ?? '(no JavaScript on the stack)';
  self.set(inner, (self.get(inner) ?? 0) + 1);
  for (const name of new Set(names)) incl.set(name, (incl.get(name) ?? 0) + 1);
};
for (const line of text.split('\n')) {
  const head = /^\s*(\d+)\/(\d+)\s*$/.exec(line);
  if (head !== null) {
    flush();
    frames = [];
    mainThread = head[1] === head[2];
    continue;
  }
  const frame = /^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$/.exec(line);
  if (frame !== null) frames.push(frame[1] as string);
}
flush();
const us = (x: number) => ((x / 999 / requests) * 1e6).toFixed(1);
const top = (m: Map<string, number>) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(values.top))
    .map(([k, v]) => `| ${k.replaceAll('|', '\\|')} | ${v} | ${us(v)} |`);
process.stdout.write(
  [
    `${file}: ${n} main-thread samples, ${requests} requests: ${us(n)} µs/request in all`,
    '',
    '| function, self (innermost JavaScript frame) | samples | µs/request |',
    '| --- | ---: | ---: |',
    ...top(self),
    '',
    '| function, inclusive | samples | µs/request |',
    '| --- | ---: | ---: |',
    ...top(incl),
    '',
  ].join('\n'),
);
