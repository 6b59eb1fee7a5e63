// The router latency bench's floors side by side (round 10, a script, not a test): `http` the trivial
// node:http server (http-floor-server.mjs), `net` the same service on node:net with a minimal HTTP/1.1 reader
// (net-floor-server.mjs), `relay` that net server relaying each request as a frame to a peer process and
// answering when the peer's frame is back (the router's syscall shape, no work of its own), `door` the
// router's own fast door serving the same reply (door-floor-server.ts). The `--kinds` chosen are started
// once, then measured in `--pairs` rounds, in the given order in odd rounds and reversed in even ones, with
// router-latency.bench.ts's client, body and open loop. Per window: the server's main-thread CPU per request
// (utime + stime from /proc, user and system apart), all threads, the relay's peer, p50/p99 latency, late
// sends, load average. Per round: each kind − the first (main thread); over the rounds their mean and
// standard error. Writes results/<out>.{json,md} (default router-floors).
//
//   node --import tsx apps/router/bench/router-floors.bench.ts [--kinds http,net,relay] [--rate 1000]
//        [--seconds 10] [--pairs 4] [--warmup 2] [--client-nice=-5] [--client-rt 10] [--out name|path]
//
// Round 11: p50/p99 are measured from each request's due time (open-loop.ts); `--client-rt N` runs this client
// under SCHED_FIFO priority N once the servers are started (as router-latency.bench.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadAverage, processCpu } from '@oicf/cluster';
import { percentile } from '@oicf/core';
import {
  type FloorKind,
  mainThreadUserSystem,
  runSelfRealtime,
  startChildrenAtNiceZero,
  startFloorServer,
  stopAll,
} from './bench-support.js';
import { LeanHttpClient } from './lean-http-client.js';
import { openLoop } from './open-loop.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    pairs: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '2' },
    'client-nice': { type: 'string' },
    'client-rt': { type: 'string' },
    out: { type: 'string', default: 'router-floors' },
    kinds: { type: 'string', default: 'http,net,relay' },
  },
});
const KINDS = (values.kinds as string).split(',') as Kind[];
if (KINDS.some((k) => !['http', 'net', 'relay', 'door'].includes(k)) || new Set(KINDS).size !== KINDS.length)
  throw new Error(`--kinds takes distinct names among http, net, relay, door (got ${values.kinds})`);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const PAIRS = Number(values.pairs);
const WARMUP = Number(values.warmup);
if (!(RATE > 0) || !(SECONDS > 0) || !Number.isInteger(PAIRS) || PAIRS < 1)
  throw new Error('--rate, --seconds and --pairs take positive numbers (--pairs an integer)');
const CLIENT_NICE = values['client-nice'] === undefined ? undefined : Number(values['client-nice']);
if (CLIENT_NICE !== undefined) {
  setPriority(0, CLIENT_NICE);
  startChildrenAtNiceZero(CLIENT_NICE);
}
const CLIENT_RT = values['client-rt'] === undefined ? undefined : Number(values['client-rt']);
if (CLIENT_RT !== undefined && (!Number.isInteger(CLIENT_RT) || CLIENT_RT < 1 || CLIENT_RT > 99))
  throw new Error(`--client-rt takes an integer in 1…99 (got ${values['client-rt']})`);
const HERE = fileURLToPath(new URL('.', import.meta.url));
// router-latency.bench.ts's request body.
const BODY = JSON.stringify({
  model: 'tiny-gqa',
  prompt: [1, 2, 3, 4, 5, 6, 7, 8],
  max_tokens: 1,
  temperature: 0,
  ignore_eos: true,
});

type Kind = FloorKind;
interface Window {
  pair: number;
  kind: Kind;
  finishedAt: string;
  requests: number;
  failed: number;
  late: number;
  mainThreadMicros: number;
  userMicros: number;
  systemMicros: number;
  allThreadsMicros: number;
  /** The relay's peer process, all threads (relay windows only). */
  peerMicros?: number;
  p50Ms: number;
  p99Ms: number;
  loadBefore: readonly number[];
  loadAfter: readonly number[];
}

/** Per round a − b (main thread), their mean and standard error. */
function diffOf(a: readonly Window[], b: readonly Window[]) {
  const d = a.map((w, i) => w.mainThreadMicros - (b[i] as Window).mainThreadMicros);
  const mean = d.reduce((x, y) => x + y, 0) / d.length;
  const sd = d.length > 1 ? Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1)) : Number.NaN;
  return { perPair: d, mean, standardError: sd / Math.sqrt(d.length) };
}

async function main() {
  const servers = new Map<Kind, Awaited<ReturnType<typeof startFloorServer>>>();
  const clients = new Map<Kind, LeanHttpClient>();
  for (const k of KINDS) {
    const server = await startFloorServer(undefined, k);
    servers.set(k, server);
    clients.set(k, new LeanHttpClient(server.url, '/', BODY));
  }
  if (CLIENT_RT !== undefined) runSelfRealtime(CLIENT_RT);
  const path = (k: Kind) => (_i: number, done: (ms: number, error?: string) => void) =>
    (clients.get(k) as LeanHttpClient).post(done);
  for (const k of KINDS) await openLoop(RATE, WARMUP, [path(k)]);
  const windows: Window[] = [];
  for (let pair = 1; pair <= PAIRS; pair++) {
    const order = pair % 2 === 1 ? KINDS : [...KINDS].reverse();
    for (const kind of order) {
      const { pid, peerPid } = servers.get(kind) as { pid: number; peerPid?: number };
      const loadBefore = loadAverage();
      const c0 = processCpu(pid);
      const m0 = mainThreadUserSystem(pid);
      const p0 = peerPid === undefined ? 0 : processCpu(peerPid).totalSeconds;
      const run = await openLoop(RATE, SECONDS, [path(kind)]);
      const c1 = processCpu(pid);
      const m1 = mainThreadUserSystem(pid);
      const p1 = peerPid === undefined ? 0 : processCpu(peerPid).totalSeconds;
      const lat = (run.latencies[0] as number[]).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
      const n = (run.latencies[0] as number[]).length;
      const per = (s: number) => (s / n) * 1e6;
      windows.push({
        pair,
        kind,
        finishedAt: new Date().toISOString(),
        requests: n,
        failed: run.failed[0] as number,
        late: run.late,
        mainThreadMicros: per(c1.mainThreadSeconds - c0.mainThreadSeconds),
        userMicros: per(m1.userSeconds - m0.userSeconds),
        systemMicros: per(m1.systemSeconds - m0.systemSeconds),
        allThreadsMicros: per(c1.totalSeconds - c0.totalSeconds),
        ...(peerPid === undefined ? {} : { peerMicros: per(p1 - p0) }),
        p50Ms: percentile(lat, 0.5),
        p99Ms: percentile(lat, 0.99),
        loadBefore,
        loadAfter: loadAverage(),
      });
      process.stderr.write(`router-floors: pair ${pair} ${kind} done\n`);
    }
  }
  for (const c of clients.values()) c.close();
  const byPair = (k: Kind) =>
    Array.from({ length: PAIRS }, (_, i) => windows.find((w) => w.pair === i + 1 && w.kind === k) as Window);
  const diff = (a: Kind, b: Kind) => diffOf(byPair(a), byPair(b));
  return {
    bench: 'router-floors',
    at: new Date().toISOString(),
    command: ['node --import tsx apps/router/bench/router-floors.bench.ts', ...process.argv.slice(2)].join(' '),
    node: process.version,
    rate: RATE,
    seconds: SECONDS,
    pairs: PAIRS,
    ...(CLIENT_NICE !== undefined ? { clientNice: CLIENT_NICE } : {}),
    ...(CLIENT_RT !== undefined ? { clientRealtimePriority: CLIENT_RT } : {}),
    windows,
    kinds: KINDS,
    // Main thread, per round: each kind − the first kind.
    minusFirstMainThreadMicros: Object.fromEntries(KINDS.slice(1).map((k) => [k, diff(k, KINDS[0] as Kind)])),
  };
}

type Result = Awaited<ReturnType<typeof main>>;

function render(r: Result): string {
  const u = (x: number) => x.toFixed(0);
  const rows = r.windows
    .map(
      (w) =>
        `| ${w.pair} | ${w.kind} | ${w.finishedAt.slice(11, 19)} | **${u(w.mainThreadMicros)}** | ${u(w.userMicros)} / ${u(w.systemMicros)} | ${u(w.allThreadsMicros)}${w.peerMicros === undefined ? '' : ` (${u(w.peerMicros)})`} | ${w.p50Ms.toFixed(3)} / ${w.p99Ms.toFixed(3)} | ${w.late} | ${w.failed} | ${w.loadBefore.join(' ')} → ${w.loadAfter.join(' ')} |`,
    )
    .join('\n');
  const line = (g: ReturnType<typeof diffOf>) =>
    `${g.perPair.map((x) => x.toFixed(1)).join(' / ')} µs; mean ${g.mean.toFixed(1)} µs, SE ${g.standardError.toFixed(1)} µs`;
  return `# The router bench's floors side by side

${r.at}, Node ${r.node}: \`${r.command}\`. ${r.rate} requests/s open-loop, ${r.seconds} s per window, the
router bench's lean client and body; http = \`http-floor-server.mjs\` (node:http), net = \`net-floor-server.mjs\`
(node:net, minimal HTTP/1.1 reader, same reply bytes), relay = net relaying each body as a frame to a peer
process and answering on its frame (the router's shape), door = the router's fast door serving the same reply
(\`door-floor-server.ts\`). CPU per request from /proc (10 ms ticks); the user/system split is the kernel's
tick sampling (noisy per window), their sum is not.

| round | floor | finished (UTC) | main-thread µs/request | user / system µs | all threads µs (relay's peer) | p50 / p99 ms | late sends | failed | load before → after |
| ---: | --- | --- | ---: | --- | ---: | --- | ---: | ---: | --- |
${rows}

Main thread, per round (each floor − ${r.kinds[0]}): ${Object.entries(r.minusFirstMainThreadMicros)
    .map(([k, g]) => `${k} − ${r.kinds[0]} ${line(g)}`)
    .join('; ')}.
`;
}

try {
  const result = await main();
  const out = values.out as string;
  const base = out.includes('/') ? resolve(out) : join(HERE, 'results', out);
  mkdirSync(dirname(base), { recursive: true });
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = render(result);
  writeFileSync(`${base}.md`, md);
  process.stdout.write(md);
} finally {
  await stopAll();
}
