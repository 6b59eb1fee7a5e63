// Where a Node process's main-thread CPU goes, from a Linux perf recording (`perf record -F 999 -g -p <pid>`,
// CPU-time sampling, kernel included; the JIT's names from Node's --perf-basic-prof map). A script, not a
// test (round 10, issue 11; r10-perf.sh makes the recordings).
//
//   node --import tsx apps/router/bench/perf-parts.ts <perf.data> [--top 25] [--bundle dist/services/router.mjs]
//        [--requests N]
//
// Each main-thread sample (tid = pid) is charged by its leaf frame: kernel (split by the system call its
// kernel stack runs under: write/writev, read, epoll_wait, interrupts/softirq — on loopback mostly the TCP
// delivery a send or receive runs —, other), JavaScript (JIT code), V8 builtins (Builtins_*, the embedded
// blob), GC, V8 runtime (other V8 C++), libuv, Node C++, libc/other. A second table charges each sample to
// the innermost JavaScript frame on its stack (kernel and native time included: a socket write's kernel
// time goes to the JS that wrote), named by source: with `--bundle`, an oicf bundle line goes to the source
// file its `// path` marker names; node:* and node_modules packages by name; no JS on the stack apart.
// `--requests N` (the requests served while recording) adds µs per request (samples ÷ 999 Hz ÷ N).
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { bundleSources } from './bundle-sources.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    bundle: { type: 'string' },
    requests: { type: 'string' },
  },
});
const file = positionals[0];
if (file === undefined) {
  process.stderr.write('usage: perf-parts.ts <perf.data> [--top 25]\n');
  process.exit(2);
}

const text = execFileSync('perf', ['script', '-i', file, '-F', 'pid,tid,ip,sym,dso'], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
  stdio: ['ignore', 'pipe', 'ignore'],
});

interface Frame {
  sym: string;
  dso: string;
}
const samples: { pid: number; tid: number; frames: Frame[] }[] = [];
let current: { pid: number; tid: number; frames: Frame[] } | undefined;
for (const line of text.split('\n')) {
  if (line.trim() === '') {
    if (current !== undefined) samples.push(current);
    current = undefined;
    continue;
  }
  const head = /^\s*(\d+)\/(\d+)\s*$/.exec(line);
  if (head !== null) {
    current = { pid: Number(head[1]), tid: Number(head[2]), frames: [] };
    continue;
  }
  const frame = /^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$/.exec(line);
  if (frame !== null && current !== undefined)
    current.frames.push({ sym: frame[1] as string, dso: frame[2] as string });
}
if (current !== undefined) samples.push(current);

const main = samples.filter((s) => s.pid === s.tid && s.frames.length > 0);
const isKernel = (f: Frame) => f.dso.includes('kernel.kallsyms') || f.dso.startsWith('[kernel');
const isJit = (f: Frame) =>
  f.dso.includes('perf-') || f.dso.startsWith('[JIT]') || /^(LazyCompile|Function|JS):/.test(f.sym);

function syscallOf(frames: Frame[]): string {
  for (const f of frames) {
    if (!isKernel(f)) break;
    const m = /__x64_sys_(\w+)|__do_sys_(\w+)|ksys_(\w+)/.exec(f.sym);
    if (m !== null) {
      const name = (m[1] ?? m[2] ?? m[3]) as string;
      if (name.startsWith('write')) return 'kernel: write/writev (socket send, loopback delivery to the peer)';
      if (name.startsWith('read') || name.startsWith('recv')) return 'kernel: read (socket receive)';
      if (name.startsWith('epoll')) return 'kernel: epoll_wait (wake-ups)';
      return `kernel: ${name}`;
    }
  }
  const all = frames.map((f) => f.sym).join(' ');
  if (/irq|softirq|apic|timer/i.test(all)) return 'kernel: interrupts, softirq, timers';
  if (/page_fault|exc_page/i.test(all)) return 'kernel: page faults';
  return 'kernel: other';
}

function partOf(frames: Frame[]): string {
  const leaf = frames[0] as Frame;
  if (isKernel(leaf)) return syscallOf(frames);
  if (isJit(leaf)) return 'JavaScript (JIT code)';
  const s = leaf.sym;
  if (s.startsWith('Builtins_')) return 'V8 builtins';
  if (/Heap|Scaveng|MarkCompact|Sweeper|Marking|Evacuat|GC|Mark|Concurrent/i.test(s) && /v8::internal/.test(s))
    return 'GC';
  if (/^uv_|^uv__/.test(s)) return 'libuv';
  if (s.startsWith('v8::') || s.startsWith('Runtime_') || s.includes('v8::internal')) return 'V8 runtime (C++)';
  if (s.startsWith('node::')) return 'Node C++';
  if (leaf.dso.includes('libc')) return 'libc';
  return `other (${leaf.dso.split('/').at(-1)})`;
}

const parts = new Map<string, number>();
const leaves = new Map<string, number>();
for (const s of main) {
  const p = partOf(s.frames);
  parts.set(p, (parts.get(p) ?? 0) + 1);
  const leaf = s.frames[0] as Frame;
  const name = `${leaf.sym.slice(0, 90)} (${leaf.dso.split('/').at(-1)})`;
  leaves.set(name, (leaves.get(name) ?? 0) + 1);
}
const sourceOf = bundleSources(values.bundle);
function sourceOfLine(line: number): string {
  const name = sourceOf.of(line);
  return name === undefined ? 'bundle (before the first marker)' : `oicf ${name}`;
}
function innermostJs(frames: Frame[]): string {
  for (const f of frames) {
    const m = /JS:\S*\s+(\S+)/.exec(f.sym);
    if (m === null) continue;
    const loc = m[1] as string;
    const inBundle = /\/dist\/services\/\w[\w-]*\.mjs:(\d+):/.exec(loc);
    if (inBundle !== null && sourceOf.any) return sourceOfLine(Number(inBundle[1]));
    const pkg = /node_modules\/\.pnpm\/([^/]+)\//.exec(loc);
    if (pkg !== null) return `library ${pkg[1]}`;
    if (loc.startsWith('node:')) return `node ${loc.split(':')[1]}`;
    const file = /^file:\/\/.*\/([^/]+?):\d+:\d+$/.exec(loc);
    if (file !== null) return `file ${file[1]}`;
    return `other JavaScript (${loc.slice(0, 40)}: generated code)`;
  }
  return isKernel(frames[0] as Frame) ? 'kernel, no JavaScript on the stack' : 'native, no JavaScript on the stack';
}
const sources = new Map<string, number>();
for (const s of main) {
  const k = innermostJs(s.frames);
  sources.set(k, (sources.get(k) ?? 0) + 1);
}

const n = main.length;
const requests = values.requests === undefined ? undefined : Number(values.requests);
const pct = (x: number) =>
  `${((100 * x) / n).toFixed(1)} %${requests === undefined ? '' : ` | ${((x / 999 / requests) * 1e6).toFixed(1)}`}`;
const unit = requests === undefined ? '' : ' | µs/request';
const rule = requests === undefined ? '' : ' ---: |';
const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
const out = [
  `${file}: ${n} main-thread samples (of ${samples.length}; 999 Hz CPU-time sampling)${requests === undefined ? '' : `, ${requests} requests`}`,
  '',
  `| part (leaf frame) | samples | share${unit} |`,
  `| --- | ---: | ---: |${rule}`,
  ...sorted(parts).map(([k, v]) => `| ${k} | ${v} | ${pct(v)} |`),
  '',
  `| innermost JavaScript frame's source | samples | share${unit} |`,
  `| --- | ---: | ---: |${rule}`,
  ...sorted(sources)
    .slice(0, Number(values.top))
    .map(([k, v]) => `| ${k.replaceAll('|', '\\|')} | ${v} | ${pct(v)} |`),
  '',
  `| leaf function | samples | share${unit} |`,
  `| --- | ---: | ---: |${rule}`,
  ...sorted(leaves)
    .slice(0, Number(values.top))
    .map(([k, v]) => `| ${k.replaceAll('|', '\\|')} | ${v} | ${pct(v)} |`),
];
process.stdout.write(`${out.join('\n')}\n`);
