// Attributes a router .cpuprofile (node --cpu-prof, the router under router-latency.bench.ts) to the parts of
// a routed request, per request: each bundle frame is mapped to its source file through the `// path.ts`
// module markers esbuild writes into the bundle, and each source file to a part (PARTS below). A script,
// not a test.
//
//   node --import tsx apps/router/bench/cpuprofile-parts.ts <file.cpuprofile> <bundle.mjs> --requests N [--url router.mjs]
//
// Three views, each in µs of profile time per request (samples × mean interval ÷ N):
// - self: the part of the sample's own (leaf) frame; frames outside oicf (Node, V8, ws, msgpackr,
//   syscalls) are their own parts;
// - charged: a leaf outside oicf is charged to the nearest oicf frame above it (the socket write under the
//   reply is the reply's), so the parts sum to the busy time;
// - inclusive: samples whose stack holds a frame of the part at least once (parts nest: not additive).
// Start-up (module loading) samples are left out of all three. Profile time is wall-clock sampling of the
// thread (a thread preempted in a syscall is charged there): read shares against /proc's CPU figure.
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

/** Source file (or frame) pattern → part of the request path; the first match wins. */
const PARTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /fast-http\/(fast-connection|request-head|fast-door)\.ts|front\/http-body\.ts/,
    'HTTP in: fast door, read + parse JSON',
  ],
  [/fast-http\/socket-reply\.ts|front\/send-json\.ts/, 'HTTP out: reply head + socket write'],
  [/core\/(validate-|choice-inputs|prompt|request-params|chat-)/, 'validate + choice inputs'],
  [/packages\/tokenizer\//, 'tokenizer'],
  [/packages\/kv\/src\/hash\//, 'hash chain'],
  [/packages\/sched\/src\/admission\/|front\/admit-choices\.ts/, 'admission'],
  [/packages\/sched\/src\/|pipeline\/router-core\.ts|pipeline\/wire-requests\.ts/, 'policy (route)'],
  [
    /plane\/plane-channel\.ts|frame-(codec|parts|socket)\.ts|body-(accepts|normalize|check|plan)\.ts|plane\/credit\.ts|ws-direct-frame\.ts/,
    'request plane: frames out + in',
  ],
  [
    /pipeline\/(decode-relay|decode-stream|token-emitter|worker-calls|cached-prefix|run-request|client-abort|event-sink)\.ts|core\/(text-relay|stop-matcher)\.ts/,
    'relay (run-request, decode stream)',
  ],
  [/pipeline\/finish-request\.ts|core\/request-summary\.ts|router-totals\.ts/, 'finish request'],
  [/apps\/router\/src\/metrics\.ts|packages\/metrics\/|prom-client/, 'metrics'],
  [
    /front\/(http-generate|merge-choices|choice-output|reply-json)\.ts|core\/openai-format\.ts|core\/logprob-format\.ts/,
    'reply: pull events, build JSON',
  ],
  [/apps\/router\/src\/|packages\//, 'other oicf'],
];

const file = process.argv[2];
const bundle = process.argv[3];
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const requests = Number(flag('requests'));
if (file === undefined || bundle === undefined || !(requests > 0)) {
  process.stderr.write('usage: cpuprofile-parts.ts <file.cpuprofile> <bundle.mjs> --requests N\n');
  process.exit(2);
}

// Bundle line (0-based) → source file, from esbuild's `// path` module markers.
const markers: Array<{ line: number; path: string }> = [];
readFileSync(bundle, 'utf8')
  .split('\n')
  .forEach((text, line) => {
    const m = /^\/\/ ((?:apps|packages|node_modules)\/\S+\.(?:ts|js|mjs|cjs))$/.exec(text);
    if (m) markers.push({ line, path: m[1] as string });
  });
const sourceOf = (line: number): string => {
  let lo = 0;
  let hi = markers.length - 1;
  let found = '';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = markers[mid] as { line: number; path: string };
    if (m.line <= line) {
      found = m.path;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
};

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const intervalMs = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);

// The profile's url of the bundle ends with this (default: the bundle's own file name).
const bundleName = flag('url') ?? bundle.slice(bundle.lastIndexOf('/') + 1);
const STARTUP =
  /^(evaluate|compileSourceTextModule|wrapSafe|maybeCacheSourceMap|lineLengths|compileForInternalLoader|Module\._load|loadESM)$/;
const SYSCALL = /^(writev|writeBuffer|writeUtf8String|writeLatin1String|read|close|fstat|open)$/;

/** The oicf part of a frame, or undefined for a frame outside oicf. */
function oicfPart(f: CallFrame): string | undefined {
  if (!f.url.endsWith(bundleName)) return undefined;
  const src = sourceOf(f.lineNumber);
  if (src.startsWith('node_modules/')) {
    return src.includes('prom-client') ? 'metrics' : undefined;
  }
  for (const [re, part] of PARTS) if (re.test(src)) return part;
  return 'other oicf';
}
/** The part of a leaf frame outside oicf. */
function foreignPart(f: CallFrame): string {
  if (f.functionName === '(garbage collector)') return 'GC';
  if (f.functionName === '(program)') return 'V8 (program)';
  if (f.url === '' && SYSCALL.test(f.functionName)) return `syscall ${f.functionName}`;
  if (f.url === '') return 'V8/Node builtins';
  if (/ws\/lib\//.test(f.url)) return 'ws';
  if (/msgpackr/.test(f.url)) return 'msgpackr';
  if (/prom-client/.test(f.url)) return 'metrics';
  if (f.url.startsWith('node:')) return 'Node internals';
  return 'other libraries';
}

const self = new Map<string, number>();
const charged = new Map<string, number>();
const chargedSyscalls = new Map<string, number>();
const inclusive = new Map<string, number>();
const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
let busy = 0;
let startup = 0;
for (const id of profile.samples) {
  const leaf = (byId.get(id) as ProfileNode).callFrame;
  if (leaf.functionName === '(idle)' || leaf.functionName === '(root)') continue;
  const stack: CallFrame[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
    stack.push((byId.get(cur) as ProfileNode).callFrame);
  if (stack.some((f) => STARTUP.test(f.functionName))) {
    startup++;
    continue;
  }
  busy++;
  const leafPart = oicfPart(leaf);
  add(self, leafPart ?? foreignPart(leaf));
  let owner = leafPart;
  for (const f of stack) {
    if (owner !== undefined) break;
    owner = oicfPart(f);
  }
  const ownerName = owner ?? `outside oicf: ${foreignPart(leaf)}`;
  add(charged, ownerName);
  if (leafPart === undefined && leaf.url === '' && SYSCALL.test(leaf.functionName))
    add(chargedSyscalls, `${ownerName} ← ${leaf.functionName}`);
  const seen = new Set<string>();
  for (const f of stack) {
    const p = oicfPart(f);
    if (p !== undefined) seen.add(p);
  }
  for (const p of seen) add(inclusive, p);
}

const us = (n: number) => ((n * intervalMs * 1000) / requests).toFixed(1);
const share = (n: number) => `${((100 * n) / Math.max(1, busy)).toFixed(1)} %`;
const table = (title: string, m: Map<string, number>, note: string) => {
  process.stdout.write(`\n## ${title}\n\n${note}\n\n| µs/request | share of busy | part |\n| ---: | ---: | --- |\n`);
  for (const [k, n] of [...m].sort((a, b) => b[1] - a[1])) process.stdout.write(`| ${us(n)} | ${share(n)} | ${k} |\n`);
};
process.stdout.write(
  `# Parts of a routed request: ${file.slice(file.lastIndexOf('/') + 1)}\n\n${profile.samples.length} samples of ${intervalMs.toFixed(3)} ms; busy (less start-up) ${(busy * intervalMs).toFixed(0)} ms = ${us(busy)} µs per request over ${requests} requests; start-up ${(startup * intervalMs).toFixed(0)} ms left out.\n`,
);
table('Self (leaf frame)', self, 'Each sample to the part of its own frame.');
table(
  'Charged (leaf outside oicf → nearest oicf frame above it)',
  charged,
  'Sums to the busy time. "outside oicf" rows have no oicf frame on their stack (event loop, timers, GC).',
);
table('Syscalls by the oicf part that made them', chargedSyscalls, 'A subset of the charged view.');
table('Inclusive (part anywhere on the stack)', inclusive, 'Parts nest, so these do not add up.');
