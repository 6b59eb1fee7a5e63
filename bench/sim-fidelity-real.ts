// The fidelity bench's real side: one replay of the window on a freshly launched local cluster, with every
// service's CPU and counters sampled each second (host-sampler.ts); or, with --sim-only, the same run read
// back from what an earlier bench run wrote (replay.json, host-samples.json, real-meta.json), so the twin
// can be re-run against a real run without the cluster.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterConfig, launchCluster } from '@oicf/cluster';
import { executeReplay } from '@oicf/loadgen';
import {
  DEFAULT_SLO,
  type ReplayRun,
  type ReplaySummary,
  readReplayJson,
  replayReportFiles,
  simVsReal,
  summarizeReplay,
} from '@oicf/report';
import { foreignLoad, type HostSample, type SimCluster, simulate } from '@oicf/sim';
import type { TraceRequest } from '@oicf/traces';
import { realClock } from '@oicf/transport';
import { startHostSampler } from './host-sampler.js';
import { scrapeWorkerMetrics, type WorkerMetricSample } from './sim-fidelity-final-metrics.js';
import {
  describeMachine as describe,
  hostCpuNanos,
  type MachineState,
  machineState,
  otherCoresDuring,
  waitForQuietMachine,
} from './sim-fidelity-machine.js';
import type { RealRunRow } from './sim-fidelity-report.js';

export interface RealRun {
  readonly real: ReplayRun;
  readonly samples: HostSample[];
  readonly realWallSeconds: number;
  readonly beforeReal: number;
  readonly afterReal: number;
  /** Absent in runs recorded before round 6. */
  readonly machine?: {
    readonly before: MachineState;
    readonly after: MachineState;
    /** Cores the host's other tasks used during the replay (host cgroup less the cluster and client). */
    readonly otherCoresDuring: number | null;
    /** The gate waited for before the run, and whether it was met (absent: no gate). */
    readonly quietGate?: { readonly maxCores: number; readonly maxSeconds: number; readonly met: boolean };
  };
  /** Every worker's loop and handoff series at the replay's end (round 6; absent before). */
  readonly workerMetrics?: Record<string, WorkerMetricSample[]>;
}

export interface RealRunOptions {
  readonly mode: string;
  readonly config: ClusterConfig;
  readonly requests: readonly TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly speed: number;
  readonly tokenScale: number;
  readonly traceFile: string;
  readonly commandLine: string;
  readonly maxRequests: number;
  /** Wait before the run until the host's other tasks use at most this many cores (undefined: no gate). */
  readonly quietGate?: { readonly maxCores: number; readonly maxSeconds: number };
}

export async function runRealCluster(o: RealRunOptions): Promise<RealRun> {
  const gated =
    o.quietGate === undefined ? undefined : await waitForQuietMachine(o.quietGate.maxCores, o.quietGate.maxSeconds);
  const before = gated?.state ?? (await machineState());
  console.log(
    `mode ${o.mode}: machine before: ${describe(before)}${gated === undefined ? '' : gated.quiet ? ' (quiet)' : ' (NOT quiet: the gate timed out)'}`,
  );
  const beforeReal = loadavg()[0] ?? 0;
  console.log(`mode ${o.mode}: launching the real cluster, load average ${beforeReal.toFixed(2)}`);
  const abort = new AbortController();
  const cluster = await launchCluster(o.config, {
    // Configs, logs and pool files of the launched cluster: not results, kept out of bench/results.
    runDir: join(tmpdir(), `oicf-sim-fidelity-${process.pid}`, o.mode),
    onProgress: (m) => console.log(`  cluster: ${m}`),
    signal: abort.signal,
  });
  const scrapeTargets = cluster.services.map((s) => ({ name: s.name, url: `${s.endpoints.http}/metrics` }));
  const sampler = startHostSampler(
    cluster.services.map((s) => ({ name: s.name, pid: s.pid, metricsUrl: `${s.endpoints.http}/metrics` })),
    1,
  );
  let real: ReplayRun;
  let workerMetrics: Record<string, WorkerMetricSample[]> = {};
  const t0 = performance.now();
  const cgroupStart = hostCpuNanos();
  let cgroupEnd: number | undefined;
  let replayWall = 0;
  try {
    real = await executeReplay({
      label: `real ${o.mode}`,
      routerUrl: cluster.routerUrl,
      targetKind: 'cluster',
      scrapeTargets,
      requests: o.requests,
      loop: o.loop,
      speed: o.speed,
      tokenScale: o.tokenScale,
      concurrencyLimit: null,
      clusterBlockTokens: o.config.blockTokens,
      model: null,
      sessionTtlSeconds: null,
      scrapeIntervalSeconds: 1,
      traceFile: o.traceFile,
      commandLine: o.commandLine,
      options: {
        window: { maxRequests: o.maxRequests },
        tokenScaleMode: 'blocks',
        slo: DEFAULT_SLO,
        cluster: o.config,
      },
      clock: realClock,
      signal: abort.signal,
      stderr: (t) => process.stderr.write(t),
      isTty: false,
    });
  } finally {
    await sampler.stop();
    cgroupEnd = hostCpuNanos();
    replayWall = (performance.now() - t0) / 1000;
    workerMetrics = await scrapeWorkerMetrics(
      cluster.services.map((s) => ({ name: s.name, url: `${s.endpoints.http}/metrics` })),
    );
    await cluster.stop();
  }
  const samples = await sampler.stop();
  const afterReal = loadavg()[0] ?? 0;
  const after = await machineState();
  const during = otherCoresDuring({ startNanos: cgroupStart, endNanos: cgroupEnd, wallSeconds: replayWall }, samples);
  console.log(
    `mode ${o.mode}: machine after: ${describe(after)}; other tasks during the run ${during?.toFixed(2) ?? 'n/a'} cores`,
  );
  return {
    real,
    samples,
    realWallSeconds: (performance.now() - t0) / 1000,
    beforeReal,
    afterReal,
    machine: {
      before,
      after,
      otherCoresDuring: during,
      ...(o.quietGate === undefined ? {} : { quietGate: { ...o.quietGate, met: gated?.quiet ?? false } }),
    },
    workerMetrics,
  };
}

/** Writes what `readRealRun` reads back beside the run's replay report (already written to `dir`). */
export function saveRealExtras(dir: string, r: RealRun): void {
  writeFileSync(join(dir, 'host-samples.json'), `${JSON.stringify(r.samples)}\n`);
  const meta = {
    realWallSeconds: r.realWallSeconds,
    beforeReal: r.beforeReal,
    afterReal: r.afterReal,
    ...(r.machine === undefined ? {} : { machine: r.machine }),
  };
  writeFileSync(join(dir, 'real-meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  if (r.workerMetrics !== undefined)
    writeFileSync(join(dir, 'worker-metrics.json'), `${JSON.stringify(r.workerMetrics)}\n`);
}

/** An earlier real run of this bench from `dir` (throws naming the file when one is missing or bad). */
export function readRealRun(dir: string): RealRun {
  const replayPath = join(dir, 'replay.json');
  const read = readReplayJson(readFileSync(replayPath, 'utf8'), replayPath);
  if (!read.ok) throw new Error(read.error);
  // Older result folders kept the replay only: no samples (no fit, no foreign load from them).
  const samplesPath = join(dir, 'host-samples.json');
  const samples = existsSync(samplesPath) ? (JSON.parse(readFileSync(samplesPath, 'utf8')) as HostSample[]) : [];
  const metaPath = join(dir, 'real-meta.json');
  const meta = existsSync(metaPath)
    ? (JSON.parse(readFileSync(metaPath, 'utf8')) as Pick<
        RealRun,
        'realWallSeconds' | 'beforeReal' | 'afterReal' | 'machine'
      >)
    : { realWallSeconds: Number.NaN, beforeReal: Number.NaN, afterReal: Number.NaN };
  const metricsPath = join(dir, 'worker-metrics.json');
  const workerMetrics = existsSync(metricsPath)
    ? (JSON.parse(readFileSync(metricsPath, 'utf8')) as Record<string, WorkerMetricSample[]>)
    : undefined;
  return { real: read.run, samples, ...meta, ...(workerMetrics === undefined ? {} : { workerMetrics }) };
}

/** The real runs of `mode` recorded in `runsDir`: `<mode>-real` (one-run benches) and `<mode>-real-<k>`, by k. */
export function realRunDirs(runsDir: string, mode: string): string[] {
  if (!existsSync(runsDir)) return [];
  const pattern = new RegExp(`^${mode}-real(?:-(\\d+))?$`);
  return readdirSync(runsDir)
    .map((name) => ({ name, m: pattern.exec(name) }))
    .filter((e) => e.m !== null && existsSync(join(runsDir, e.name, 'replay.json')))
    .sort((x, y) => Number(x.m?.[1] ?? 0) - Number(y.m?.[1] ?? 0))
    .map((e) => join(runsDir, e.name));
}

/** Where the next real run of `mode` goes: `<mode>-real-<k>`, k one past the highest recorded. */
export function nextRealRunDir(runsDir: string, mode: string): string {
  const ks = realRunDirs(runsDir, mode).map((d) => Number(/-real-(\d+)$/.exec(d)?.[1] ?? 0));
  return join(runsDir, `${mode}-real-${Math.max(0, ...ks) + 1}`);
}

/** Removes the recorded real runs of `mode` (a bench run without --append starts its own set). */
export function clearRealRuns(runsDir: string, mode: string): void {
  for (const d of realRunDirs(runsDir, mode)) rmSync(d, { recursive: true, force: true });
}

/** Waits (up to `maxSeconds`) until the 1-minute load average is below `limit` (undefined: no wait). */
export async function waitForQuiet(limit: string | undefined, maxSeconds: number): Promise<void> {
  if (limit === undefined) return;
  const deadline = Date.now() + 1000 * maxSeconds;
  while ((loadavg()[0] ?? 0) >= Number(limit) && Date.now() < deadline) {
    console.log(`  waiting for the load average (${(loadavg()[0] ?? 0).toFixed(2)}) to drop below ${limit}`);
    await new Promise((r) => setTimeout(r, 15_000));
  }
}

/** A run's report files (replay.json, .md, .html) into `dir`. */
export function writeRun(dir: string, run: ReplayRun, summary: ReplaySummary): void {
  mkdirSync(dir, { recursive: true });
  for (const f of replayReportFiles(run, summary, {
    name: 'this machine',
    peakFlopsPerSecond: 350e9,
    bandwidthBytesPerSecond: 25e9,
    memoryCapacityBytes: 24 * 2 ** 30,
  })) {
    writeFileSync(join(dir, f.name), f.content);
  }
}

/** The twin of one real run: with what the machine's other processes used during it as demand on the cores. */
export function withForeignOf(
  design: SimCluster,
  r: RealRun,
  o: { requests: readonly TraceRequest[]; loop: 'open' | 'closed'; speed: number; seed: number },
): RealRunRow['foreign'] {
  const f = foreignLoad(r.samples);
  if (f.length === 0 || design.host === undefined) return undefined;
  const fsim = simulate({ ...design, host: { ...design.host, foreignLoad: f } }, o).run;
  const meanCores = f.reduce((t, p) => t + p.cores, 0) / f.length;
  return { meanCores, figures: simVsReal(summarizeReplay(r.real, DEFAULT_SLO), summarizeReplay(fsim, DEFAULT_SLO)) };
}
