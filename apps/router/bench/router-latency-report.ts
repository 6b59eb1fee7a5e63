// The result of the router latency bench (router-latency.bench.ts) and its markdown summary: every measured
// window with its load average, the median and spread over windows, the floor, and each goal met or not.
import { percentile } from '@oicf/core';

export interface LatencyStats {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly n: number;
}

export interface WindowResult {
  readonly run: number;
  readonly elapsedSeconds: number;
  readonly lateSends: number;
  /** Requests that failed (e.g. a connection reset), with the first error; absent in older records. */
  readonly failedRequests?: { router: number; direct: number; firstError?: string | undefined };
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter: readonly number[];
  readonly router: LatencyStats;
  readonly direct: LatencyStats;
  readonly addedPerPair: LatencyStats;
  /** p99(router) − p99(direct). */
  readonly addedP99Ms: number;
  /** Router process CPU (all threads) per routed request, from /proc. */
  readonly routerCpuMicrosPerRequest: number;
  readonly routerMainThreadCpuMicrosPerRequest: number;
  /** The main thread's figure split into user (JavaScript, V8, libuv) and system (syscalls) time; absent in older records. */
  readonly routerMainThreadUserMicrosPerRequest?: number;
  readonly routerMainThreadSystemMicrosPerRequest?: number;
  readonly routerCpuMicrosPerRequestNetOfIdle: number;
  /** Worker CPU per request of either path. */
  readonly workerCpuMicrosPerRequest: number;
  readonly directOutputsPerRequest: number;
}

export interface BenchResult {
  readonly bench: 'router-latency';
  readonly at: string;
  readonly command: string;
  readonly node: string;
  readonly worker: string;
  readonly request: { promptTokens: number; maxTokens: number; routerPath: string; directPath: string };
  readonly ratePerSecondEachPath: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly routerIdleCpuFraction: number;
  /** The bench's HTTP client (round 7 on; older records used node:http). */
  readonly client?: string;
  /** `--services-root`: the checkout whose build the router and the worker ran from (absent: the bench's own). */
  readonly servicesRoot?: string;
  /** `--router-node-args`: Node/V8 flags of the router's process. */
  /** The build's default router V8 flags (its apps/router/src/node-flags.ts; absent in older results). */
  readonly routerLaunchFlags?: string;
  readonly routerNodeArgs?: string;
  /** `--client-nice`: the bench client's nice value (the services ran at the default, 0). */
  readonly clientNice?: number;
  /** `--router-cpus`: the router and the floor server on these CPUs, the client and the worker on the others. */
  readonly pinning?: { routerCpus: string; clientAndWorkerCpus: string };
  readonly windows: readonly WindowResult[];
  readonly floor: FloorResult;
  /** The same service on node:net (net-floor-server.mjs), measured after `floor` in the same run (round 10 on). */
  readonly netFloor?: FloorResult;
  readonly goals: {
    routerCpuMicrosPerRequest: { floor: number; stretch: number };
    addedP99Ms: { floor: number; floorAtRate: number; stretch: number; stretchAtRate: number };
  };
}

/** A floor server's CPU per request (/proc) at the run's rate. */
export interface FloorResult {
  what: string;
  seconds: number;
  cpuMicrosPerRequest: number;
  mainThreadCpuMicrosPerRequest: number;
  mainThreadUserMicrosPerRequest?: number;
  mainThreadSystemMicrosPerRequest?: number;
  p99Ms: number;
  failedRequests?: number;
}

/** Median (nearest rank) and min–max of a figure over the windows. */
export function spread(values: readonly number[]): { median: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { median: percentile(s, 0.5), min: s[0] ?? Number.NaN, max: s.at(-1) ?? Number.NaN };
}

const f = (x: number, d = 3) => x.toFixed(d);
const us = (x: number) => x.toFixed(0);
const range = (x: { median: number; min: number; max: number }, fmt: (v: number) => string) =>
  `${fmt(x.median)} (${fmt(x.min)}–${fmt(x.max)})`;

/**
 * Whether a window's latency figures can be judged: the bench client kept its schedule (at most 1 % of its
 * sends, both paths, more than one period late) and no request failed. When it could not, the machine was
 * too busy for the open loop: the requests went out in bursts and both paths measured the queue (the CPU
 * figures still hold).
 */
export function windowJudgeable(w: WindowResult): boolean {
  const failed = (w.failedRequests?.router ?? 0) + (w.failedRequests?.direct ?? 0);
  return failed === 0 && w.lateSends <= 0.01 * 2 * w.router.n;
}

/** Whether every window of a run can be judged (windowJudgeable). */
export function latencyJudgeable(r: BenchResult): boolean {
  return r.windows.every(windowJudgeable);
}

export function renderMarkdown(r: BenchResult): string {
  const w = r.windows;
  const cpuMain = spread(w.map((x) => x.routerMainThreadCpuMicrosPerRequest));
  const cpuAll = spread(w.map((x) => x.routerCpuMicrosPerRequest));
  const added = spread(w.map((x) => x.addedP99Ms));
  // The latency goal is judged on the windows where the client kept its schedule: their median.
  const judged = w.filter(windowJudgeable);
  const addedJudged = spread(judged.map((x) => x.addedP99Ms));
  const g = r.goals;
  const verdict = (met: boolean) => (met ? '**met**' : '**not met**');
  const latencyVerdict = (rate: number, limit: number) => {
    if (r.ratePerSecondEachPath < rate)
      return `not judged (this run is at ${r.ratePerSecondEachPath}/s, below ${rate}/s)`;
    if (judged.length === 0)
      return '**not judged**: the bench client fell behind its schedule in every window (late sends above), the machine was too busy';
    return `${verdict(addedJudged.median <= limit)} (median of the ${judged.length} of ${w.length} window(s) where the client kept its schedule: ${f(addedJudged.median)} ms)`;
  };
  const rows = w
    .map(
      (x) =>
        `| ${x.run} | ${f(x.router.p50Ms)} / ${f(x.router.p99Ms)} | ${f(x.direct.p50Ms)} / ${f(x.direct.p99Ms)} | ${f(x.addedPerPair.p50Ms)} / ${f(x.addedPerPair.p99Ms)} | ${f(x.addedP99Ms)} | ${us(x.routerMainThreadCpuMicrosPerRequest)} / ${us(x.routerCpuMicrosPerRequest)} | ${us(x.routerMainThreadUserMicrosPerRequest ?? Number.NaN)} / ${us(x.routerMainThreadSystemMicrosPerRequest ?? Number.NaN)} | ${us(x.workerCpuMicrosPerRequest)} | ${x.lateSends}${windowJudgeable(x) ? '' : ' (not judged)'} | ${x.loadAverageBefore.join(' ')} → ${x.loadAverageAfter.join(' ')} |`,
    )
    .join('\n');
  return `# Router-added latency and router CPU per request

${r.request.promptTokens} prompt tokens, ${r.request.maxTokens} output token; ${r.ratePerSecondEachPath} requests/s open-loop on each path, ${r.seconds} s per window after ${r.warmupSeconds} s of warm-up, the two paths interleaved half a period apart in one run. ${r.at}, Node ${r.node}: \`${r.command}\`.
Router path: ${r.request.routerPath}, the router (\`apps/router/src/main.ts\`, oicf-cost policy, no pool) in its own process, run from its build${r.servicesRoot === undefined ? '' : ` (of ${r.servicesRoot})`}${r.routerLaunchFlags === undefined ? '' : r.routerLaunchFlags === '' ? ', started with no V8 flags of its own' : `, started with its launch flags \`${r.routerLaunchFlags}\``}${r.routerNodeArgs === undefined ? '' : ` with Node flags \`${r.routerNodeArgs}\``}. Client: ${r.client ?? 'node:http'}${r.clientNice === undefined ? '' : `, at nice ${r.clientNice} (the services at 0)`}. Direct path: ${r.request.directPath}. Worker: ${r.worker}.${r.pinning === undefined ? ' No CPU pinning: the router, the worker and this client share every CPU.' : ` Pinned (\`--router-cpus\`): the router and the floor server on CPU ${r.pinning.routerCpus}, this client and the worker on CPU ${r.pinning.clientAndWorkerCpus}.`}

| window | router p50 / p99 ms | direct p50 / p99 ms | added per pair p50 / p99 ms | p99(router) − p99(direct) ms | router CPU µs/request main thread / all threads | main thread user / system µs | worker CPU µs/request | late sends | load average before → after |
| ---: | --- | --- | --- | ---: | --- | --- | ---: | ---: | --- |
${rows}

Over the ${w.length} window(s), median (min–max): router CPU per routed request ${range(cpuMain, us)} µs on its main thread, ${range(cpuAll, us)} µs with V8's compiler and GC helper threads (idle router: ${(100 * r.routerIdleCpuFraction).toFixed(1)} % of a core); p99(router) − p99(direct) ${range(added, (v) => f(v))} ms.
${failures(r)}Floor in the same run: ${floorText(r.floor)}.${r.netFloor === undefined ? '' : ` Then ${floorText(r.netFloor)}.`} CPU figures come from /proc (utime + stime, 10 ms ticks), so they hold on a busy machine; latencies do not, and the load average says how busy it was (2 cores, shared).

| goal (issue 11) | this run (median) | floor | stretch |
| --- | --- | --- | --- |
| router CPU per routed short request, main thread | ${us(cpuMain.median)} µs | ≤ ${g.routerCpuMicrosPerRequest.floor} µs: ${verdict(cpuMain.median <= g.routerCpuMicrosPerRequest.floor)} | ≤ ${g.routerCpuMicrosPerRequest.stretch} µs: ${verdict(cpuMain.median <= g.routerCpuMicrosPerRequest.stretch)} |
| router CPU per routed short request, all threads | ${us(cpuAll.median)} µs | ≤ ${g.routerCpuMicrosPerRequest.floor} µs: ${verdict(cpuAll.median <= g.routerCpuMicrosPerRequest.floor)} | ≤ ${g.routerCpuMicrosPerRequest.stretch} µs: ${verdict(cpuAll.median <= g.routerCpuMicrosPerRequest.stretch)} |
| p99(router) − p99(direct) | ${f(added.median)} ms at ${r.ratePerSecondEachPath}/s | ≤ ${g.addedP99Ms.floor} ms at ${g.addedP99Ms.floorAtRate}/s: ${latencyVerdict(g.addedP99Ms.floorAtRate, g.addedP99Ms.floor)} | ≤ ${g.addedP99Ms.stretch} ms at ${g.addedP99Ms.stretchAtRate}/s: ${latencyVerdict(g.addedP99Ms.stretchAtRate, g.addedP99Ms.stretch)} |
`;
}

const floorText = (x: FloorResult) =>
  `${x.what} costs ${us(x.mainThreadCpuMicrosPerRequest)} µs on its main thread (user ${us(x.mainThreadUserMicrosPerRequest ?? Number.NaN)} / system ${us(x.mainThreadSystemMicrosPerRequest ?? Number.NaN)}), ${us(x.cpuMicrosPerRequest)} µs in all, per request at the same rate (p99 ${f(x.p99Ms)} ms)`;

/** A sentence on failed requests (none: empty), so a reset or error never goes unreported. */
function failures(r: BenchResult): string {
  const parts = r.windows
    .filter((x) => (x.failedRequests?.router ?? 0) + (x.failedRequests?.direct ?? 0) > 0)
    .map(
      (x) =>
        `window ${x.run}: ${x.failedRequests?.router} via the router, ${x.failedRequests?.direct} direct (first: ${x.failedRequests?.firstError})`,
    );
  if ((r.floor.failedRequests ?? 0) > 0) parts.push(`floor: ${r.floor.failedRequests}`);
  if ((r.netFloor?.failedRequests ?? 0) > 0) parts.push(`net floor: ${r.netFloor?.failedRequests}`);
  return parts.length === 0
    ? ''
    : `Failed requests (excluded from the latencies, counted in the CPU per request): ${parts.join('; ')}.\n`;
}
