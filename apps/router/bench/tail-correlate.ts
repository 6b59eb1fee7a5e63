// What sets the router's tail (round 8, issue 11): reads a probed run of router-latency.bench.ts
// (TAIL_PROBE_DIR with the children's probe-<pid>.json from tail-probe.mjs and the client's
// client-window-<k>.json) and splits each routed request's time into the legs the router's sockets show,
// then compares the slowest 1 % with the rest and with the GC pauses of the router and of the worker.
//
//   node --import tsx apps/router/bench/tail-correlate.ts <probe dir>
//
// Legs (CLOCK_MONOTONIC, all processes; matched by tail-legs.ts): send (client) → arrival (router reads the
// request) → dispatch (router writes the request-plane frame) → frame (router reads the worker's frame) → reply
// (router writes the reply) → done (client has the whole reply). Requests are matched to socket events in order (the k-th unmatched
// read on an HTTP connection at or after the k-th send; then the first request-plane write after that read, the
// first request-plane read after that write, the first write on that connection after that read): exact when
// requests do not overlap in the router, approximate when they do (≈ 0.3 ms each at 1,000/s; a stall makes
// them overlap, and then a leg can be charged to the request ahead's event).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitLegs } from './tail-legs.js';

interface Probe {
  pid: number;
  argv: string[];
  gc: { t: number; ms: number; kind: number; newUsedKiB?: number; newSizeKiB?: number; oldUsedKiB?: number }[];
  sockets: { id: number; localPort: number; remotePort: number; inbound: boolean }[];
  eventLoopDelayMs: Record<string, number>;
  events: [number, number, number, number][];
}
interface ClientWindow {
  sentAtMs: number[][];
  latencies: number[][];
}

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: tail-correlate.ts <probe dir>');
const files = readdirSync(dir);
const probes = files
  .filter((f) => f.startsWith('probe-'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Probe);
const find = (what: string) => {
  const p = probes.find((x) => x.argv.some((a) => a.includes(what)));
  if (p === undefined) throw new Error(`${dir}: no probe of a process with "${what}" in its argv`);
  return p;
};
const router = find('run-service.mjs');
const worker = find('scripted-worker');

// The router's HTTP connections: inbound sockets on the local port with the most reads; its request plane:
// the outbound socket with the most writes.
const count = new Map<number, number>();
for (const [, id] of router.events) count.set(id, (count.get(id) ?? 0) + 1);
const byPort = new Map<number, number>();
for (const s of router.sockets)
  if (s.inbound) byPort.set(s.localPort, (byPort.get(s.localPort) ?? 0) + (count.get(s.id) ?? 0));
const httpPort = [...byPort].sort((a, b) => b[1] - a[1])[0]?.[0];
const httpIds = new Set(router.sockets.filter((s) => s.inbound && s.localPort === httpPort).map((s) => s.id));
const plane = router.sockets
  .filter((s) => !s.inbound)
  .sort((a, b) => (count.get(b.id) ?? 0) - (count.get(a.id) ?? 0))[0];
if (plane === undefined) throw new Error('no outbound socket in the router');
const sel = (f: (e: [number, number, number, number]) => boolean) => router.events.filter(f);
const httpReads = sel((e) => httpIds.has(e[1]) && e[2] === 0);
const httpWrites = sel((e) => httpIds.has(e[1]) && e[2] === 1);
const planeWrites = sel((e) => e[1] === plane.id && e[2] === 1);
const planeReads = sel((e) => e[1] === plane.id && e[2] === 0);
const writesOf = new Map<number, number[]>();
for (const [t, id] of httpWrites) {
  const l = writesOf.get(id) ?? [];
  l.push(t);
  writesOf.set(id, l);
}
const planeWriteMs = planeWrites.map((e) => e[0]);
const planeReadMs = planeReads.map((e) => e[0]);
const httpReadPairs = httpReads.map((e) => [e[0], e[1]] as const);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const overlaps = (gc: Probe['gc'], a: number, b: number) => gc.filter((g) => g.t < b && g.t + g.ms > a);
const f2 = (x: number) => x.toFixed(3);

const LEGS = ['send→arrival', 'arrival→dispatch', 'dispatch→frame', 'frame→reply', 'reply→done'] as const;
const out: string[] = [];
const windows = files.filter((f) => f.startsWith('client-window-')).sort();
for (const wf of windows) {
  const w = JSON.parse(readFileSync(join(dir, wf), 'utf8')) as ClientWindow;
  const sent = w.sentAtMs[0] as number[];
  const lat = w.latencies[0] as number[];
  const t0 = sent[0] as number;
  const t1 = (sent[sent.length - 1] as number) + 50;
  const reqs = splitLegs({
    sentAtMs: sent,
    latencyMs: lat,
    httpReads: httpReadPairs,
    planeWriteMs,
    planeReadMs,
    httpWritesMs: writesOf,
  }).map((r) => ({ i: r.i, lat: r.latencyMs, legs: r.legs, s: r.sentMs, e: r.sentMs + r.latencyMs }));
  const sorted = [...reqs].sort((a, b) => b.lat - a.lat);
  const k = Math.max(1, Math.ceil(reqs.length / 100));
  const slow = sorted.slice(0, k);
  const rest = sorted.slice(k);
  const rgc = router.gc.filter((g) => g.t >= t0 && g.t <= t1);
  const wgc = worker.gc.filter((g) => g.t >= t0 && g.t <= t1);
  const direct = w.latencies[1] as number[];
  const directP99 = pct(
    direct.filter((x) => !Number.isNaN(x)),
    0.99,
  );
  const seconds = (t1 - t0) / 1000;
  out.push(
    `### ${wf.replace('.json', '')}: ${reqs.length} of ${sent.length} routed requests matched to the router's socket events`,
  );
  out.push('');
  out.push(
    `Router GC: ${rgc.length} pauses (${(rgc.length / seconds).toFixed(1)}/s), durations p50 ${f2(
      pct(
        rgc.map((g) => g.ms),
        0.5,
      ),
    )} / max ${f2(Math.max(0, ...rgc.map((g) => g.ms)))} ms, kinds ${JSON.stringify(kinds(rgc))}; worker GC: ${wgc.length} (${(wgc.length / seconds).toFixed(1)}/s), max ${f2(Math.max(0, ...wgc.map((g) => g.ms)))} ms, kinds ${JSON.stringify(kinds(wgc))}.`,
  );
  const minor = rgc.filter((g) => g.kind === 1);
  if (minor[0]?.newUsedKiB !== undefined)
    out.push(
      `Router after each scavenge (when its entry is delivered): young generation in use p50 ${pct(
        minor.map((g) => g.newUsedKiB as number),
        0.5,
      ).toFixed(0)} KiB of ${pct(
        minor.map((g) => g.newSizeKiB as number),
        0.5,
      ).toFixed(0)} KiB; old generation ${minor
        .map((g) => (g.oldUsedKiB as number).toFixed(0))
        .slice(0, 8)
        .join(', ')}… KiB.`,
    );
  out.push('');
  out.push(
    '| requests | n | latency ms (mean) | ' +
      LEGS.join(' ms | ') +
      ' ms | router GC overlaps | worker GC overlaps | direct twin > direct p99 |',
  );
  out.push(`| --- | ---: | ---: | ${LEGS.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`);
  for (const [name, set] of [
    ['slowest 1 %', slow],
    ['the rest', rest],
  ] as const) {
    const legMeans = LEGS.map((_, j) => f2(mean(set.map((r) => r.legs[j] as number))));
    const rOver = set.filter((r) => overlaps(rgc, r.s, r.e).length > 0).length;
    const wOver = set.filter((r) => overlaps(wgc, r.s, r.e).length > 0).length;
    const twin = set.filter((r) => (direct[r.i] ?? 0) > directP99).length;
    out.push(
      `| ${name} | ${set.length} | ${f2(mean(set.map((r) => r.lat)))} | ${legMeans.join(' | ')} | ${pct1(rOver, set.length)} | ${pct1(wOver, set.length)} | ${pct1(twin, set.length)} |`,
    );
  }
  // Which leg is the largest in each slow request.
  const worst = LEGS.map(() => 0);
  for (const r of slow) {
    const j = r.legs.indexOf(Math.max(...r.legs));
    worst[j] = (worst[j] as number) + 1;
  }
  out.push('');
  out.push(`Largest leg of each slow request: ${LEGS.map((l, j) => `${l} ${worst[j]}`).join(', ')}.`);
  out.push('');
}
out.push(
  `Router event-loop delay (10 ms resolution): ${JSON.stringify(router.eventLoopDelayMs)}; worker: ${JSON.stringify(worker.eventLoopDelayMs)}.`,
);
process.stdout.write(`${out.join('\n')}\n`);

function kinds(gc: Probe['gc']) {
  // PerformanceObserver 'gc' kinds: 1 minor (scavenge), 2 major (mark-compact), 4 incremental, 8 weak callbacks.
  const names: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  const c: Record<string, number> = {};
  for (const g of gc) c[names[g.kind] ?? String(g.kind)] = (c[names[g.kind] ?? String(g.kind)] ?? 0) + 1;
  return c;
}
function pct1(x: number, n: number) {
  return `${x} (${((100 * x) / Math.max(1, n)).toFixed(0)} %)`;
}
