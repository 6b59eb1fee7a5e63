// Router-added latency (a script, not a test): the same short request (8 prompt tokens, 1 output token)
// sent open-loop at `--rate` requests/s for `--seconds` s both through the router (HTTP POST
// /v1/completions, keep-alive) and straight to the decode worker (gRPC DecodeWorker.Decode), interleaved
// half a period apart so machine noise hits both alike. Reports p50/p99 of each path and of the per-pair
// difference (router_i − direct_i). The router and the worker are separate processes. Writes
// bench/results/router-latency.{json,md} (real worker) or router-latency-scripted.{json,md}.
//
//   node --import tsx apps/router/bench/router-latency.bench.ts [--rate N] [--seconds 20] [--warmup 1] [--scripted]
//
// By default the decode worker is the real one (apps/decode-worker: tiny-gqa ONNX kernels); --scripted
// uses the scripted gRPC worker instead, which isolates the router's own cost from model compute.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from '@oicf/core';
import { type DecodeWorkerClient, loadProto } from '@oicf/proto';
import { createGrpcClient, serverStreamCall } from '@oicf/transport';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const num = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
/** real: apps/decode-worker (ONNX tiny model, 1 thread); scripted: the scripted gRPC worker (no model). */
const WORKER = process.argv.includes('--scripted') ? 'scripted' : 'real';
// Default rate per path: 200/s with the scripted worker. The real worker spends ~4 ms of CPU per
// request here (8-token prefill + 1 decode step, 1 thread), so 2 × 200/s would need ~1.7 cores for it
// alone and both paths would measure its queue, not the router: it defaults to 25/s per path.
const RATE = num('rate', WORKER === 'real' ? 25 : 200);
const SECONDS = num('seconds', 20);
/** Requests in the first `--warmup` seconds are sent but not measured (JIT and connection warm-up). */
const WARMUP_SECONDS = num('warmup', 1);
const PROMPT = [1, 2, 3, 4, 5, 6, 7, 8];
const children: ChildProcess[] = [];

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (Linux; clock ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined, tid?: number): number {
  if (pid === undefined) return Number.NaN;
  try {
    const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
    const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // After "pid (comm) ", field 3 is state; utime and stime are fields 14 and 15 → indices 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds of a process's main thread (tid = pid: JavaScript, libuv I/O, syscalls) and of all its
 * other threads (V8's optimizing compiler and concurrent/parallel GC helpers, the module loader thread).
 * The helpers' share is mostly a warm-up cost of time, not of requests: TurboFan compiles each hot
 * function once, so at a low request rate it is spread over few requests.
 */
function cpuSplit(pid: number | undefined): { main: number; helpers: number } {
  const main = cpuSeconds(pid, pid);
  return { main, helpers: cpuSeconds(pid) - main };
}

function startProcess(file: string, args: string[], ready: (line: string) => boolean): Promise<string> {
  // BENCH_CHILD_NODE_ARGS: extra node flags for the router and worker processes (e.g. "--cpu-prof").
  const nodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { ...process.env, OICF_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find(ready);
      if (line !== undefined) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function viaRouter(url: URL): Promise<number> {
  const body = JSON.stringify({ model: 'tiny-gqa', prompt: PROMPT, max_tokens: 1, temperature: 0, ignore_eos: true });
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/v1/completions',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let directId = 0;
/** Decode stream messages seen on the direct path (the real worker sends tokens and the finish apart). */
let directChunks = 0;
async function direct(client: DecodeWorkerClient): Promise<number> {
  const t0 = performance.now();
  const stream = serverStreamCall(client, 'Decode', {
    requestId: `direct-${directId++}`,
    promptTokenIds: PROMPT,
    maxTokens: 1,
    sampling: { temperature: 0, topP: 1, seed: 0, stopTokenIds: [] },
  });
  // Read to the end of the stream (as the router does) rather than cancelling it after the last chunk.
  for await (const _chunk of stream) {
    // the last chunk carries finish_reason; the stream ends right after it
    directChunks++;
  }
  return performance.now() - t0;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    p50Ms: percentile(s, 0.5),
    p99Ms: percentile(s, 0.99),
    meanMs: s.reduce((a, b) => a + b, 0) / s.length,
    n: s.length,
  };
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'oicf-router-bench-'));
  const configFile = join(dir, 'router.json');
  writeFileSync(configFile, JSON.stringify({ logLevel: 'warn', policy: { name: 'oicf-cost', params: {} } }));
  const listening = await startProcess(join(ROOT, 'apps/router/src/main.ts'), ['--config', configFile], (l) =>
    l.includes('"event":"listening"'),
  );
  const ep = (JSON.parse(listening) as { endpoints: { http: string; grpc: string } }).endpoints;
  const workerAddress =
    WORKER === 'real'
      ? (
          JSON.parse(
            await startProcess(
              join(ROOT, 'apps/decode-worker/src/main.ts'),
              ['--workerId=decode-0', '--role=decode', `--routerGrpcAddress=${ep.grpc}`, '--logLevel=warn'],
              (l) => l.includes('"event":"listening"'),
            ),
          ) as { endpoints: { grpc: string } }
        ).endpoints.grpc
      : (
          JSON.parse(
            await startProcess(join(HERE, 'scripted-worker-main.ts'), ['--router', ep.grpc, '--id', 'decode-0'], (l) =>
              l.includes('"event":"worker"'),
            ),
          ) as { grpcAddress: string }
        ).grpcAddress;
  const client: DecodeWorkerClient = createGrpcClient(loadProto().DecodeWorker, workerAddress);
  const url = new URL(ep.http);
  for (;;) {
    if ((await fetch(`${ep.http}/readyz`)).status === 200) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  // Idle CPU of the router process (heartbeats, timers, V8 and loader threads) over 3 s before the load.
  const idle0 = cpuSeconds(children[0]?.pid);
  await new Promise((r) => setTimeout(r, 3000));
  const routerIdleCpuFraction = (cpuSeconds(children[0]?.pid) - idle0) / 3;
  const periodMs = 1000 / RATE;
  const total = Math.round((SECONDS + WARMUP_SECONDS) * RATE);
  const warmup = Math.round(WARMUP_SECONDS * RATE);
  const router: number[] = new Array(total);
  const straight: number[] = new Array(total);
  let late = 0;
  const pending: Promise<void>[] = [];
  const [routerProc, workerProc] = children;
  let cpuAtWarm: [number, number] = [Number.NaN, Number.NaN];
  let splitAtWarm = { main: Number.NaN, helpers: Number.NaN };
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    if (i === warmup) {
      cpuAtWarm = [cpuSeconds(routerProc?.pid), cpuSeconds(workerProc?.pid)];
      splitAtWarm = cpuSplit(routerProc?.pid);
    }
    for (const [offset, run, into] of [
      [0, () => viaRouter(url), router],
      [periodMs / 2, () => direct(client), straight],
    ] as const) {
      const due = start + i * periodMs + offset;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else if (wait < -periodMs) late++;
      pending.push(
        run().then((ms) => {
          into[i] = ms;
        }),
      );
    }
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  const measured = total - warmup;
  // Router CPU per routed request; the worker serves both paths, so its CPU is per request of either.
  const routerCpuSeconds = cpuSeconds(routerProc?.pid) - cpuAtWarm[0];
  const routerCpuMicros = (routerCpuSeconds / measured) * 1e6;
  const splitEnd = cpuSplit(routerProc?.pid);
  const routerMainThreadCpuMicros = ((splitEnd.main - splitAtWarm.main) / measured) * 1e6;
  const routerHelperThreadsCpuMicros = ((splitEnd.helpers - splitAtWarm.helpers) / measured) * 1e6;
  const measuredSeconds = measured / RATE;
  const routerCpuMicrosNet = ((routerCpuSeconds - routerIdleCpuFraction * measuredSeconds) / measured) * 1e6;
  const workerCpuMicros = ((cpuSeconds(workerProc?.pid) - cpuAtWarm[1]) / (2 * measured)) * 1e6;
  const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  const r = router.slice(warmup);
  const d = straight.slice(warmup);
  // BENCH_DUMP=<file>: every measured latency (ms) of both paths, for tail analysis against other logs
  // (e.g. the router's GC events): pair i was sent at startUnixMs + (warmup + i) × periodMs.
  const dump = process.env.BENCH_DUMP;
  if (dump !== undefined && dump !== '') {
    writeFileSync(
      dump,
      JSON.stringify({ periodMs, warmup, router: r, direct: d, startUnixMs: Date.now() - (performance.now() - start) }),
    );
  }
  const diff = r.map((x, i) => x - (d[i] as number));
  const result = {
    bench: 'router-latency',
    worker:
      WORKER === 'real'
        ? 'real decode worker (apps/decode-worker: tiny-gqa ONNX kernels, 1 thread, local prefill) in its own process'
        : 'scripted gRPC decode worker (apps/router/src/testing/scripted-worker.ts, no model) in its own process',
    request: {
      promptTokens: PROMPT.length,
      maxTokens: 1,
      routerPath: 'HTTP POST /v1/completions (keep-alive, non-streamed)',
      directPath: 'gRPC DecodeWorker.Decode',
      decodeMessagesPerRequest: directChunks / total,
    },
    ratePerSecondEachPath: RATE,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    elapsedSeconds: elapsed,
    lateSends: late,
    router: stats(r),
    direct: stats(d),
    addedPerPair: stats(diff),
    addedP99Ms: stats(r).p99Ms - stats(d).p99Ms,
    routerCpuMicrosPerRequest: routerCpuMicros,
    routerIdleCpuFraction,
    routerCpuMicrosPerRequestNetOfIdle: routerCpuMicrosNet,
    routerMainThreadCpuMicrosPerRequest: routerMainThreadCpuMicros,
    routerHelperThreadsCpuMicrosPerRequest: routerHelperThreadsCpuMicros,
    workerCpuMicrosPerRequest: workerCpuMicros,
    loadAverageAfter: loadAverage,
    goalAddedP99Ms: 2,
  };
  const outDir = join(HERE, 'results');
  mkdirSync(outDir, { recursive: true });
  const name = WORKER === 'real' ? 'router-latency' : 'router-latency-scripted';
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const f = (x: number) => x.toFixed(3);
  const md = `# Router-added latency

${result.request.promptTokens} prompt tokens, ${result.request.maxTokens} output token; ${RATE} requests/s open-loop on each path for ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up), interleaved half a period apart, measured in one run (\`${['node --import tsx apps/router/bench/router-latency.bench.ts', ...process.argv.slice(2)].join(' ')}\`).
Worker: ${result.worker} (${result.request.decodeMessagesPerRequest.toFixed(1)} Decode stream messages per request). Router: its own process (\`apps/router/src/main.ts\`, oicf-cost policy, no pool).

| path | p50 ms | p99 ms | mean ms |
| --- | ---: | ---: | ---: |
| through the router (${result.request.routerPath}) | ${f(result.router.p50Ms)} | ${f(result.router.p99Ms)} | ${f(result.router.meanMs)} |
| direct (${result.request.directPath}) | ${f(result.direct.p50Ms)} | ${f(result.direct.p99Ms)} | ${f(result.direct.meanMs)} |
| added, per pair (router_i − direct_i) | ${f(result.addedPerPair.p50Ms)} | ${f(result.addedPerPair.p99Ms)} | ${f(result.addedPerPair.meanMs)} |

p99(router) − p99(direct) = ${f(result.addedP99Ms)} ms (goal ≤ ${result.goalAddedP99Ms} ms). Late sends (more than one period behind schedule): ${late}.
CPU per request (from /proc, so independent of scheduling delays): router ${routerCpuMicros.toFixed(0)} µs per routed request (${routerCpuMicrosNet.toFixed(0)} µs net of its idle ${(100 * routerIdleCpuFraction).toFixed(1)} % of a core; main thread ${routerMainThreadCpuMicros.toFixed(0)} µs, V8 compiler/GC helper threads ${routerHelperThreadsCpuMicros.toFixed(0)} µs); decode worker ${workerCpuMicros.toFixed(0)} µs per request of either path. Load average after the run: ${loadAverage.join(' ')} (2 cores, shared with other work).
The router path also includes an HTTP client and JSON on the bench side where the direct path has a gRPC client; both run in the bench process on the same 2 shared cores as the router and the worker.
`;
  writeFileSync(join(outDir, `${name}.md`), md);
  process.stdout.write(md);
  client.close();
  agent.destroy();
}

try {
  await main();
} finally {
  // Keep reading their stdout until they exit, so their shutdown lines do not hit a closed pipe.
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}
