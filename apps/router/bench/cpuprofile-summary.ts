// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. the router under router-latency.bench.ts with
// BENCH_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof") as the top functions by self time and by
// total (inclusive) time, each as milliseconds and as a share of the non-idle samples. A script, not a
// test: it reads a file and prints a table.
//
//   node --import tsx apps/router/bench/cpuprofile-summary.ts <file.cpuprofile> [--top 25] [--filter text]
//
// Self time of a node = its sample count × the mean sampling interval (profile duration ÷ samples).
// Total time of a function = samples whose stack contains it at least once (recursion counted once).
// Functions are keyed by name + url + line, so one function reached by many stacks is one row.
// "By component" sorts every busy sample by where its own frame is (a syscall, V8's GC, Node's HTTP, the
// ws library, …, this project's code) and puts samples under module loading apart as start-up. A profile
// samples wall-clock time on the thread: a thread preempted inside a syscall (on loopback a write wakes
// the peer, which may run first) is charged to that syscall, so read the shares, not the milliseconds, as
// CPU; the benchmarks' /proc figures are the CPU.
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

const file = process.argv[2];
if (file === undefined || file.startsWith('--')) {
  process.stderr.write('usage: cpuprofile-summary.ts <file.cpuprofile> [--top N] [--filter text]\n');
  process.exit(2);
}
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const top = Number(flag('top') ?? 25);
const filter = flag('filter');

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const shortUrl = (url: string) => {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length).replace(/^\.pnpm\/[^/]+\/node_modules\//, '');
  const w = url.indexOf('/work/main/');
  return w >= 0 ? url.slice(w + '/work/main/'.length) : url;
};
const keyOf = (f: CallFrame) => `${f.functionName || '(anonymous)'}  ${shortUrl(f.url)}:${f.lineNumber + 1}`;
const IDLE = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

const intervalMs = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
const self = new Map<string, number>();
const total = new Map<string, number>();
let numIdle = 0;
let numGc = 0;
let numProgram = 0;
const stackKeys = new Map<number, string[]>();
const keysOfStack = (id: number): string[] => {
  const cached = stackKeys.get(id);
  if (cached !== undefined) return cached;
  const keys = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = (byId.get(cur) as ProfileNode).callFrame;
    if (!IDLE.has(f.functionName)) keys.add(keyOf(f));
  }
  const out = [...keys];
  stackKeys.set(id, out);
  return out;
};
for (const id of profile.samples) {
  const f = (byId.get(id) as ProfileNode).callFrame;
  if (f.functionName === '(idle)') {
    numIdle++;
    continue;
  }
  if (f.functionName === '(garbage collector)') numGc++;
  if (f.functionName === '(program)') numProgram++;
  const k = IDLE.has(f.functionName) ? f.functionName : keyOf(f);
  self.set(k, (self.get(k) ?? 0) + 1);
  for (const key of keysOfStack(id)) total.set(key, (total.get(key) ?? 0) + 1);
}
const busy = profile.samples.length - numIdle;
const pct = (n: number) => `${((100 * n) / Math.max(1, busy)).toFixed(1)} %`;
const ms = (n: number) => (n * intervalMs).toFixed(1);
const table = (title: string, m: Map<string, number>) => {
  const rows = [...m.entries()]
    .filter(([k]) => filter === undefined || k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  process.stdout.write(`\n## ${title}\n\n| ms | share of busy | function  file:line |\n| ---: | ---: | --- |\n`);
  for (const [k, n] of rows) process.stdout.write(`| ${ms(n)} | ${pct(n)} | ${k.replaceAll('|', '\\|')} |\n`);
};
process.stdout.write(
  `# ${shortUrl(file)}\n\nduration ${((profile.endTime - profile.startTime) / 1e6).toFixed(2)} s, ${profile.samples.length} samples (${intervalMs.toFixed(3)} ms each); busy ${ms(busy)} ms (GC ${ms(numGc)} ms, (program) ${ms(numProgram)} ms), idle ${ms(numIdle)} ms\n`,
);
/** Where a sample's own frame is; start-up (module loading, source maps) wins over everything else. */
const STARTUP =
  /^(evaluate|compileSourceTextModule|wrapSafe|maybeCacheSourceMap|lineLengths|compileForInternalLoader|Module\._load|loadESM)$/;
function componentOf(id: number): string {
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    if (STARTUP.test((byId.get(cur) as ProfileNode).callFrame.functionName))
      return 'start-up (module loading, source maps)';
  }
  const f = (byId.get(id) as ProfileNode).callFrame;
  const u = f.url;
  if (f.functionName === '(garbage collector)') return 'garbage collector';
  if (f.functionName === '(program)') return 'V8 (program)';
  if (u === '' && /^(writev|writeBuffer|writeUtf8String|writeLatin1String|read|close|fstat|open)$/.test(f.functionName))
    return 'syscalls (socket writes and reads)';
  if (u === '') return 'V8/Node builtins';
  if (/node:(_http|internal\/http)/.test(u)) return 'Node HTTP';
  if (/node:(net|internal\/streams|internal\/stream_base)/.test(u)) return 'Node streams and sockets';
  if (u.startsWith('node:')) return 'Node, other';
  for (const lib of ['@grpc', 'protobufjs', 'prom-client', 'msgpackr', 'ws/', 'tsx', 'onnxruntime']) {
    if (u.includes(`node_modules/${lib}`) || u.includes(`/${lib}`)) return lib.replace('/', '');
  }
  return 'oicf code (workspace sources or their build)';
}
const components = new Map<string, number>();
for (const id of profile.samples) {
  const f = (byId.get(id) as ProfileNode).callFrame;
  if (f.functionName === '(idle)') continue;
  const c = componentOf(id);
  components.set(c, (components.get(c) ?? 0) + 1);
}
process.stdout.write('\n## By component\n\n| ms | share of busy | component |\n| ---: | ---: | --- |\n');
for (const [c, n] of [...components].sort((a, b) => b[1] - a[1]))
  process.stdout.write(`| ${ms(n)} | ${pct(n)} | ${c} |\n`);
table('Top self time', self);
table('Top total time', total);
