// The result of the router latency bench (router-latency.bench.ts) and its markdown summary: every measured
// window with its load average, the median and spread over windows, the floor, and each goal met or not.
import { percentile } from '@oicf/core';
import type { LagSummary } from './send-schedule.js';

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
  /**
   * Round 11 on: latencies above are from each request's due time (no coordinated omission); these are from
   * its write, as rounds 1–10 measured them. Absent in older records (whose figures are from the write).
   */
  readonly fromWrite?: { router: LatencyStats; direct: LatencyStats; addedP99Ms: number };
  /** Other tasks' cores and the hypervisor's steal during the window (round 11 on). */
  readonly host?: { otherTasksCores: number; stealCores: number };
  /** The bench client itself (round 11 on): what it cost and how well it kept its schedule, and why not. */
  readonly client?: ClientWindow;
}

export interface ClientWindow {
  /** Client process CPU (every thread) per request of either path, from /proc. */
  readonly cpuMicrosPerRequest: number;
  /** ms its main thread was runnable but waiting for a CPU (schedstat). */
  readonly mainRunQueueMs: number;
  /** Each send's lag behind its due time, both paths (`late` is the window's late sends). */
  readonly lag: LagSummary;
  /** The helper thread that wakes the loop: its own wake lag, CPU and run-queue wait (ms). */
  readonly ticker: { wakeLag: LagSummary; cpuMs: number; runQueueMs: number };
  /** The client's GC pauses, and the late sends due during or right before one. */
  readonly gc: { pauses: number; totalMs: number; lateSends: number };
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
  /** `--client-rt`: the client's threads under SCHED_FIFO at this priority from the warm-up on (round 11 on). */
  readonly clientRealtimePriority?: number;
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
  const clientRows = w
    .filter((x) => x.client !== undefined)
    .map((x) => {
      const c = x.client as ClientWindow;
      return `| ${x.run} | ${c.lag.late} in ${c.lag.stalls} stall(s), longest ${f(c.lag.longestStallMs, 1)} | ${f(c.lag.p50Ms)} / ${f(c.lag.p99Ms)} / ${f(c.lag.maxMs, 1)} | ${c.ticker.wakeLag.late}, p99 ${f(c.ticker.wakeLag.p99Ms)}, max ${f(c.ticker.wakeLag.maxMs, 1)} | ${f(c.ticker.runQueueMs, 0)} / ${f(c.mainRunQueueMs, 0)} | ${c.gc.pauses}, ${f(c.gc.totalMs, 1)} ms, ${c.gc.lateSends} | ${us(c.cpuMicrosPerRequest)} | ${x.host === undefined ? '' : `${f(x.host.otherTasksCores, 2)} / ${f(x.host.stealCores, 3)}`} | ${x.fromWrite === undefined ? '' : `${f(x.fromWrite.router.p99Ms)} / ${f(x.fromWrite.direct.p99Ms)} / ${f(x.fromWrite.addedP99Ms)}`} |`;
    })
    .join('\n');
  const clientTable =
    clientRows === ''
      ? ''
      : `
The client (round 11 on). A send is late when it went out more than one period after it was due; latencies above are measured from each request's due time, so a late send's lag is in its latency (no coordinated omission). Ticker: the helper thread that wakes the loop (its own wake lag, late wakes); run-queue: ms a thread was runnable but waiting for a CPU (schedstat); GC: the client's own pauses and the late sends due during one.

| window | late sends (stalls, longest lag ms) | send lag p50 / p99 / max ms | ticker late wakes, lag p99 / max ms | run-queue ms ticker / main thread | client GC pauses, total, late sends in them | client CPU µs/request | other tasks / steal, cores | from the write (rounds 1–10): router p99 / direct p99 / added ms |
| ---: | --- | --- | --- | --- | --- | ---: | --- | --- |
${clientRows}
`;
  return `# Router-added latency and router CPU per request

${r.request.promptTokens} prompt tokens, ${r.request.maxTokens} output token; ${r.ratePerSecondEachPath} requests/s open-loop on each path, ${r.seconds} s per window after ${r.warmupSeconds} s of warm-up, the two paths interleaved half a period apart in one run. ${r.at}, Node ${r.node}: \`${r.command}\`.
Router path: ${r.request.routerPath}, the router (\`apps/router/src/main.ts\`, oicf-cost policy, no pool) in its own process, run from its build${r.servicesRoot === undefined ? '' : ` (of ${r.servicesRoot})`}${r.routerLaunchFlags === undefined ? '' : r.routerLaunchFlags === '' ? ', started with no V8 flags of its own' : `, started with its launch flags \`${r.routerLaunchFlags}\``}${r.routerNodeArgs === undefined ? '' : ` with Node flags \`${r.routerNodeArgs}\``}. Client: ${r.client ?? 'node:http'}${r.clientNice === undefined ? '' : `, at nice ${r.clientNice} (the services at 0)`}${r.clientRealtimePriority === undefined ? '' : `, its threads under SCHED_FIFO priority ${r.clientRealtimePriority} from the warm-up on (the services under SCHED_OTHER)`}. Direct path: ${r.request.directPath}. Worker: ${r.worker}.${r.pinning === undefined ? ' No CPU pinning: the router, the worker and this client share every CPU.' : ` Pinned (\`--router-cpus\`): the router and the floor server on CPU ${r.pinning.routerCpus}, this client and the worker on CPU ${r.pinning.clientAndWorkerCpus}.`}

| window | router p50 / p99 ms | direct p50 / p99 ms | added per pair p50 / p99 ms | p99(router) − p99(direct) ms | router CPU µs/request main thread / all threads | main thread user / system µs | worker CPU µs/request | late sends | load average before → after |
| ---: | --- | --- | --- | ---: | --- | --- | ---: | ---: | --- |
${rows}
${clientTable}
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
