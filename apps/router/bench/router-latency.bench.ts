// Router-added latency and router CPU per request (a script, not a test). The same short request (8 prompt
// tokens, 1 output token) is sent open-loop at `--rate` requests/s for `--seconds` s both through the router
// (HTTP POST /v1/completions, keep-alive, non-streamed) and straight to the decode worker over its request
// plane (the `decode` frame the router itself sends), interleaved half a period apart so machine noise hits
// both alike. Reported per measured window: p50/p99 of each path and of the per-pair difference, and the
// CPU each process spent per request from /proc (independent of scheduling delays), beside the floors: the
// CPU per request of a trivial Node HTTP server (node:http), then of the same service on node:net with a
// minimal HTTP/1.1 reader (round 10), measured the same way in the same run (router-floors.bench.ts measures
// the floors alone, alternated). The router and the worker are separate processes run from their build (no
// TypeScript loader). `--runs N` measures N windows on the same processes and reports each and their spread. Writes results/router-latency[-scripted].{json,md}.
//
//   node --import tsx apps/router/bench/router-latency.bench.ts [--scripted] [--rate 1000] [--seconds 20]
//        [--warmup 2] [--runs 3] [--floor-seconds 5] [--out name|path] [--fast-http on|off] [--router-cpus 0]
//        [--client lean|node-http] [--services-root <checkout>] [--router-node-args "<node flags>"]
//        [--client-nice=-5] [--client-rt 10]
//
// `--client lean` (the default since round 7) sends the HTTP requests with lean-http-client.ts: node:http's
// bytes on keep-alive sockets without node:http's per-request objects, so this client keeps its schedule on
// a shared 2-core machine; `node-http` is the HTTP client of rounds 1–6 (node:http with a keep-alive Agent) on this round's schedule.
// The schedule: a helper thread wakes the loop at each due time (precise-ticker.ts; each path's sends are
// `1/rate` apart, the two paths half a period apart) and the loop sends every request due by then, so a
// send is late (more than one period after its due time) only when this process did not run for a period.
// Round 11: every latency is measured from the request's DUE time (send-schedule.ts), so a send the client
// delayed carries its delay (no coordinated omission; the figures from the write are kept beside them), and
// each window reports why sends were late: the client's lag and stalls, whether the ticker thread itself woke
// late, the client threads' run-queue wait, its own GC pauses, its CPU per request, other tasks' cores and
// the hypervisor's steal. A window is judged, as before, only with ≤ 1 % of its sends late and none failed.
// `--client-rt N` runs the client's threads under SCHED_FIFO priority N from the warm-up on (the services
// under SCHED_OTHER): on this 2-core VM its threads otherwise waited 0.3–0.7 s per 8-s window for a CPU at
// nice -5 (round 11's diagnostic runs), and that wait, not the client's work, made most of its late sends.
// `--services-root <checkout>` runs the router and the scripted worker from another checkout's build (e.g. a
// copy of main), so two builds are measured by the same client. `--router-node-args` adds Node/V8 flags to
// the router's process alone, after the flags the measured build starts it with by default (its
// apps/router/src/node-flags.ts, see routerLaunchFlags; V8 takes the last of a repeated flag).
// `--client-nice=N` runs this client (its threads, set before any other starts) at nice N, the services at
// the default: a load generator that is woken first keeps its schedule on a shared machine (a negative N
// needs CAP_SYS_NICE; refused → an error).
//
// `--fast-http off` runs the router with its fast door off (OICF_ROUTER_FAST_HTTP=false: node:http serves
// the generation routes as before the door), `on` with it on; without the flag the router's default.
//
// Default worker: the real decode worker (tiny-gqa ONNX kernels, 1 thread); --scripted uses the scripted
// worker instead (no model), which isolates the router's own cost.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadAverage, processCpu } from '@oicf/cluster';
import { percentile } from '@oicf/core';
import {
  closeHttp,
  DirectClient,
  mainThreadUserSystem,
  pinSelfAwayFrom,
  postJson,
  routerLaunchFlags,
  runSelfRealtime,
  startChildrenAtNiceZero,
  startFloorServer,
  startScriptedWorker,
  startService,
  stopAll,
} from './bench-support.js';
import { sampleClientSelf, sampleMachine } from './client-self.js';
import { LeanHttpClient } from './lean-http-client.js';
import { openLoop as openLoopAt, type Path } from './open-loop.js';
import { type BenchResult, renderMarkdown, type WindowResult } from './router-latency-report.js';

const { values } = parseArgs({
  options: {
    scripted: { type: 'boolean', default: false },
    rate: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    runs: { type: 'string', default: '1' },
    'floor-seconds': { type: 'string', default: '5' },
    out: { type: 'string' },
    'fast-http': { type: 'string' },
    'router-cpus': { type: 'string' },
    client: { type: 'string', default: 'lean' },
    'services-root': { type: 'string' },
    'router-node-args': { type: 'string' },
    'client-nice': { type: 'string' },
    'client-rt': { type: 'string' },
  },
});
const FAST_HTTP = values['fast-http'];
if (FAST_HTTP !== undefined && FAST_HTTP !== 'on' && FAST_HTTP !== 'off')
  throw new Error(`--fast-http takes on or off (got ${JSON.stringify(FAST_HTTP)})`);
// The router child inherits the environment (bench-support.ts startNode).
if (FAST_HTTP !== undefined) process.env.OICF_ROUTER_FAST_HTTP = FAST_HTTP === 'on' ? 'true' : 'false';
// `--router-cpus 0`: the router (and the floor server) on CPU 0 alone, this client and the worker on the
// others, as a deployment gives the router cores of its own; without it every process shares every CPU.
const ROUTER_CPUS = values['router-cpus'];
const OTHER_CPUS = ROUTER_CPUS === undefined ? undefined : pinSelfAwayFrom(ROUTER_CPUS);
const WORKER = values.scripted ? 'scripted' : 'real';
const CLIENT = values.client;
if (CLIENT !== 'lean' && CLIENT !== 'node-http')
  throw new Error(`--client takes lean or node-http (got ${JSON.stringify(CLIENT)})`);
const CLIENT_NICE = values['client-nice'] === undefined ? undefined : Number(values['client-nice']);
if (CLIENT_NICE !== undefined) {
  if (!Number.isInteger(CLIENT_NICE) || CLIENT_NICE < -20 || CLIENT_NICE > 19)
    throw new Error(`--client-nice takes an integer in -20…19 (got ${values['client-nice']})`);
  // Threads started from here on (the ticker, libuv's pool) inherit the main thread's nice value; the
  // services are spawned with the default (startNode resets it: see bench-support.ts).
  setPriority(0, CLIENT_NICE);
  startChildrenAtNiceZero(CLIENT_NICE);
}
// `--client-rt N`: this client's threads under SCHED_FIFO at priority N from the warm-up on (the services,
// started before, stay at SCHED_OTHER; runSelfRealtime in bench-support.ts).
const CLIENT_RT = values['client-rt'] === undefined ? undefined : Number(values['client-rt']);
if (CLIENT_RT !== undefined && (!Number.isInteger(CLIENT_RT) || CLIENT_RT < 1 || CLIENT_RT > 99))
  throw new Error(`--client-rt takes an integer in 1…99 (got ${values['client-rt']})`);
const ROUTER_NODE_ARGS = (values['router-node-args'] ?? '').split(' ').filter((a) => a !== '');
const SERVICES_ROOT = values['services-root'] === undefined ? undefined : `${resolve(values['services-root'])}/`;
if (SERVICES_ROOT !== undefined && !existsSync(join(SERVICES_ROOT, 'scripts', 'run-service.mjs')))
  throw new Error(`--services-root ${SERVICES_ROOT}: no scripts/run-service.mjs there`);
// Where the results go: `--out name` → results/name.{json,md}; `--out dir/name` (or an absolute path) → there,
// relative to the working directory. Checked now, not after minutes of measuring.
const HERE = fileURLToPath(new URL('.', import.meta.url));
const OUT_BASE = outBase(values.out ?? (WORKER === 'real' ? 'router-latency' : 'router-latency-scripted'));
function outBase(out: string): string {
  const base = out.replace(/\.(md|json)$/, '');
  if (!base.includes('/')) return join(HERE, 'results', base);
  const path = resolve(base);
  if (!existsSync(dirname(path))) throw new Error(`--out ${out}: directory ${dirname(path)} does not exist`);
  return path;
}
// The real worker spends milliseconds of CPU per request (8-token prefill + 1 decode step), so at 1,000/s
// both paths would measure its queue, not the router: it defaults to 25/s per path.
const RATE = Number(values.rate ?? (WORKER === 'real' ? 25 : 1000));
const SECONDS = Number(values.seconds);
const WARMUP_SECONDS = Number(values.warmup);
const RUNS = Number(values.runs);
const FLOOR_SECONDS = Number(values['floor-seconds']);
// A probed run (tail-probe.mjs in the children via BENCH_CHILD_NODE_ARGS): each window's send times and
// latencies are written there too, for tail-correlate.ts.
const PROBE_DIR = process.env.TAIL_PROBE_DIR === '' ? undefined : process.env.TAIL_PROBE_DIR;
const PROMPT = [1, 2, 3, 4, 5, 6, 7, 8];
const BODY = JSON.stringify({ model: 'tiny-gqa', prompt: PROMPT, max_tokens: 1, temperature: 0, ignore_eos: true });
const DIRECT = {
  promptTokenIds: PROMPT,
  maxTokens: 1,
  sampling: { temperature: 0, topP: 1, seed: 0, stopTokenIds: [] },
};

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    p50Ms: percentile(s, 0.5),
    p99Ms: percentile(s, 0.99),
    meanMs: s.reduce((a, b) => a + b, 0) / s.length,
    n: s.length,
  };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const openLoop = (seconds: number, paths: Path[]) => openLoopAt(RATE, seconds, paths, PROBE_DIR !== undefined);

/** node:http's client as one path (the bench's client of rounds 1–6). */
const nodeHttpPath =
  (url: URL, path: string): Path =>
  (_i, done) =>
    postJson(url, path, BODY).then(
      (ms) => done(ms),
      (err: unknown) => done(Number.NaN, err instanceof Error ? err.message : String(err)),
    );

/** The HTTP path of the chosen client. */
function httpPath(url: URL, path: string): { path: Path; close(): void } {
  if (CLIENT === 'node-http') return { path: nodeHttpPath(url, path), close() {} };
  const client = new LeanHttpClient(url, path, BODY);
  return { path: (_i, done) => client.post(done), close: () => client.close() };
}

/** The build's default router flags the run started it with (routerLaunchFlags), for the result file. */
let routerLaunchFlagsUsed = '';
const ok = (xs: number[]) => xs.filter((x) => !Number.isNaN(x));

/** One floor server's CPU per request (/proc) over FLOOR_SECONDS at RATE, after 1 s of warm-up. */
async function measureFloor(kind: 'http' | 'net') {
  const server = await startFloorServer(ROUTER_CPUS, kind);
  const client = httpPath(server.url, '/');
  await openLoop(Math.min(WARMUP_SECONDS, 1), [client.path]);
  const f0 = processCpu(server.pid);
  const fs0 = mainThreadUserSystem(server.pid);
  const run = await openLoop(FLOOR_SECONDS, [client.path]);
  const f1 = processCpu(server.pid);
  const fs1 = mainThreadUserSystem(server.pid);
  const n = (run.latencies[0] as number[]).length;
  client.close();
  return {
    seconds: FLOOR_SECONDS,
    cpuMicrosPerRequest: ((f1.totalSeconds - f0.totalSeconds) / n) * 1e6,
    mainThreadCpuMicrosPerRequest: ((f1.mainThreadSeconds - f0.mainThreadSeconds) / n) * 1e6,
    mainThreadUserMicrosPerRequest: ((fs1.userSeconds - fs0.userSeconds) / n) * 1e6,
    mainThreadSystemMicrosPerRequest: ((fs1.systemSeconds - fs0.systemSeconds) / n) * 1e6,
    p99Ms: stats(ok(run.latencies[0] as number[])).p99Ms,
    failedRequests: run.failed[0] as number,
  };
}

async function main(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'oicf-router-bench-'));
  const configFile = join(dir, 'router.json');
  // The bench measures the router's own cost per request, not admission: the queue bound (issue 14.3; 32
  // queued per worker by default) would refuse 503 queue-full in the bursts an open-loop 2,000/s client makes
  // when the machine stalls for a few ms, so it is raised out of the way here.
  writeFileSync(
    configFile,
    JSON.stringify({
      logLevel: 'warn',
      policy: { name: 'oicf-cost', params: {} },
      queue: { maxQueuedPerWorker: 100_000, maxQueueSeconds: 3600 },
    }),
  );
  const launchFlags = await routerLaunchFlags(SERVICES_ROOT);
  const router = await startService('router', ['--config', configFile], ROUTER_CPUS, SERVICES_ROOT, [
    ...launchFlags,
    ...ROUTER_NODE_ARGS,
  ]);
  routerLaunchFlagsUsed = launchFlags.join(' ');
  const ep = (JSON.parse(router.line) as { endpoints: { http: string; grpc: string } }).endpoints;
  const worker =
    WORKER === 'real'
      ? await startService(
          'decode-worker',
          ['--workerId=decode-0', '--role=decode', `--routerGrpcAddress=${ep.grpc}`, '--logLevel=warn'],
          undefined,
          SERVICES_ROOT,
        ).then((w) => ({ pid: w.pid, wsAddress: (JSON.parse(w.line) as { endpoints: { ws: string } }).endpoints.ws }))
      : await startScriptedWorker(ep.grpc, SERVICES_ROOT);
  const direct = await DirectClient.connect(worker.wsAddress);
  const url = new URL(ep.http);
  while ((await fetch(`${ep.http}/readyz`)).status !== 200) await sleep(50);

  if (CLIENT_RT !== undefined) runSelfRealtime(CLIENT_RT);
  // Idle CPU of the router (heartbeats, timers, pings) over 3 s, subtracted in the "net" figure.
  const idle0 = processCpu(router.pid).totalSeconds;
  await sleep(3000);
  const routerIdleCpuFraction = (processCpu(router.pid).totalSeconds - idle0) / 3;
  const viaHttp = httpPath(url, '/v1/completions');
  const paths: Path[] = [viaHttp.path, (_i, done) => direct.decode(DIRECT, done)];
  await openLoop(WARMUP_SECONDS, paths); // JIT and connections warm; not measured

  const windows: WindowResult[] = [];
  for (let run = 0; run < RUNS; run++) {
    const loadBefore = loadAverage();
    const r0 = processCpu(router.pid);
    const s0 = mainThreadUserSystem(router.pid);
    const w0 = processCpu(worker.pid).totalSeconds;
    const outputs0 = direct.numOutputs;
    const c0 = sampleClientSelf();
    const m0 = sampleMachine();
    const { latencies, serviceLatencies, sentAtMs, failed, firstError, late, lag, ticker, clientGc, elapsedSeconds } =
      await openLoop(SECONDS, paths);
    const c1 = sampleClientSelf();
    const m1 = sampleMachine();
    if (PROBE_DIR !== undefined)
      writeFileSync(
        join(PROBE_DIR, `client-window-${run + 1}.json`),
        // `latencies` from each write (they pair with `sentAtMs`, the writes' times); `latenciesFromDue` from
        // each request's due time, as the window's figures.
        JSON.stringify({
          paths: ['router', 'direct'],
          sentAtMs: sentAtMs.map((a) => [...a]),
          latencies: serviceLatencies,
          latenciesFromDue: latencies,
        }),
      );
    const r1 = processCpu(router.pid);
    const s1 = mainThreadUserSystem(router.pid);
    const w1 = processCpu(worker.pid).totalSeconds;
    const [viaRouter, straight] = latencies as [number[], number[]];
    const [viaRouterService, straightService] = serviceLatencies as [number[], number[]];
    const n = viaRouter.length;
    const perRequest = (seconds: number, count = n) => (seconds / count) * 1e6;
    windows.push({
      run: run + 1,
      elapsedSeconds,
      lateSends: late,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAverage(),
      failedRequests: { router: failed[0] as number, direct: failed[1] as number, firstError },
      router: stats(ok(viaRouter)),
      direct: stats(ok(straight)),
      addedPerPair: stats(ok(viaRouter.map((x, i) => x - (straight[i] as number)))),
      addedP99Ms: stats(ok(viaRouter)).p99Ms - stats(ok(straight)).p99Ms,
      routerCpuMicrosPerRequest: perRequest(r1.totalSeconds - r0.totalSeconds),
      routerMainThreadCpuMicrosPerRequest: perRequest(r1.mainThreadSeconds - r0.mainThreadSeconds),
      routerMainThreadUserMicrosPerRequest: perRequest(s1.userSeconds - s0.userSeconds),
      routerMainThreadSystemMicrosPerRequest: perRequest(s1.systemSeconds - s0.systemSeconds),
      routerCpuMicrosPerRequestNetOfIdle: perRequest(
        r1.totalSeconds - r0.totalSeconds - routerIdleCpuFraction * elapsedSeconds,
      ),
      workerCpuMicrosPerRequest: perRequest(w1 - w0, 2 * n),
      directOutputsPerRequest: (direct.numOutputs - outputs0) / n,
      fromWrite: {
        router: stats(ok(viaRouterService)),
        direct: stats(ok(straightService)),
        addedP99Ms: stats(ok(viaRouterService)).p99Ms - stats(ok(straightService)).p99Ms,
      },
      host: {
        // The machine's busy cores less the steal and the router's, the worker's and this client's: other
        // tasks (other engineers' work on the shared machine). /proc/stat counts 10-ms ticks while the
        // processes' times are exact, and a process's time can include time the hypervisor stole, so this
        // reads a few tenths of a core below zero at times. Steal: the hypervisor ran something else on our
        // CPUs (nothing in this VM ran).
        otherTasksCores:
          (m1.busySeconds -
            m0.busySeconds -
            (m1.stealSeconds - m0.stealSeconds) -
            (r1.totalSeconds - r0.totalSeconds) -
            (w1 - w0) -
            (c1.cpuSeconds - c0.cpuSeconds)) /
          elapsedSeconds,
        stealCores: (m1.stealSeconds - m0.stealSeconds) / elapsedSeconds,
      },
      client: {
        cpuMicrosPerRequest: perRequest(c1.cpuSeconds - c0.cpuSeconds, 2 * n),
        mainRunQueueMs: (c1.mainRunQueueSeconds - c0.mainRunQueueSeconds) * 1000,
        lag,
        ticker,
        gc: clientGc,
      },
    });
    process.stderr.write(`router-latency: window ${run + 1}/${RUNS} done\n`);
  }

  // The floors: a trivial Node HTTP server, then the same service on node:net (round 10), same client, same
  // rate, same body.
  viaHttp.close();
  const floor = await measureFloor('http');
  const netFloor = await measureFloor('net');
  await direct.close();
  return {
    bench: 'router-latency',
    at: new Date().toISOString(),
    command: ['node --import tsx apps/router/bench/router-latency.bench.ts', ...process.argv.slice(2)].join(' '),
    node: process.version,
    worker:
      WORKER === 'real'
        ? 'real decode worker (apps/decode-worker from its build: tiny-gqa ONNX kernels, 1 thread, local prefill)'
        : 'scripted worker (apps/router/src/testing/scripted-worker.ts bundled like the services; no model)',
    request: {
      promptTokens: PROMPT.length,
      maxTokens: 1,
      routerPath: `HTTP POST /v1/completions (keep-alive, non-streamed; ${
        FAST_HTTP === undefined
          ? "the router's default front door"
          : FAST_HTTP === 'on'
            ? 'fast door on'
            : 'fast door off: node:http'
      })`,
      directPath: 'request-plane `decode` frame to the worker (one WebSocket, as the router sends it)',
    },
    client:
      CLIENT === 'lean'
        ? "lean (apps/router/bench/lean-http-client.ts: node:http's request bytes on keep-alive sockets), woken at each due time by a helper thread (precise-ticker.ts)"
        : 'node-http (node:http with a keep-alive Agent, as rounds 1–6), woken at each due time by a helper thread (precise-ticker.ts)',
    ...(SERVICES_ROOT !== undefined ? { servicesRoot: SERVICES_ROOT } : {}),
    routerLaunchFlags: routerLaunchFlagsUsed,
    ...(ROUTER_NODE_ARGS.length > 0 ? { routerNodeArgs: ROUTER_NODE_ARGS.join(' ') } : {}),
    ...(CLIENT_NICE !== undefined ? { clientNice: CLIENT_NICE } : {}),
    ...(CLIENT_RT !== undefined ? { clientRealtimePriority: CLIENT_RT } : {}),
    ratePerSecondEachPath: RATE,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    routerIdleCpuFraction,
    ...(ROUTER_CPUS !== undefined && OTHER_CPUS !== undefined
      ? { pinning: { routerCpus: ROUTER_CPUS, clientAndWorkerCpus: OTHER_CPUS } }
      : {}),
    windows,
    floor: {
      what: 'trivial Node HTTP server (apps/router/bench/http-floor-server.mjs): parse the JSON body, send a fixed reply',
      ...floor,
    },
    netFloor: {
      what: 'the same on node:net with a minimal HTTP/1.1 reader (apps/router/bench/net-floor-server.mjs)',
      ...netFloor,
    },
    goals: {
      routerCpuMicrosPerRequest: { floor: 150, stretch: 50 },
      addedP99Ms: { floor: 1, floorAtRate: 1000, stretch: 0.5, stretchAtRate: 2000 },
    },
  };
}

try {
  const result = await main();
  mkdirSync(dirname(OUT_BASE), { recursive: true });
  writeFileSync(`${OUT_BASE}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = renderMarkdown(result);
  writeFileSync(`${OUT_BASE}.md`, md);
  process.stdout.write(md);
} finally {
  closeHttp();
  await stopAll();
}
