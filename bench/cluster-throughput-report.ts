// The result of bench/cluster-throughput.bench.ts and its markdown summary: each run's tokens/s on both
// sides, the ratio, CPU seconds per output token by process (from /proc), the load average, and the goal.

export interface ThroughputRun {
  readonly run: number;
  readonly inProcess: { seconds: number; outputTokens: number; tokensPerSecond: number; cpuSeconds: number };
  readonly cluster: {
    seconds: number;
    outputTokens: number;
    tokensPerSecond: number;
    /** CPU seconds each service process spent during the timed round. */
    cpuSecondsByService: Record<string, number>;
  };
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  /**
   * Round 10: cores the host's other tasks used during each timed part (the host cgroup's CPU less the bench's
   * own process and, for the cluster, its services), null where the host has no cgroup v1 cpuacct. Absent in
   * results written before round 10.
   */
  readonly otherCores?: { readonly inProcess: number | null; readonly cluster: number | null };
}

export interface ThroughputResult {
  readonly benchmark: 'cluster-throughput';
  readonly at: string;
  readonly command: string;
  readonly node: string;
  readonly machine: { cpus: number };
  readonly workload: {
    model: string;
    numRequests: number;
    concurrency: number;
    promptTokens: number;
    outputTokens: number;
  };
  readonly clusterShape: string;
  readonly runs: readonly ThroughputRun[];
  readonly goals: { ratio: { floor: number; stretch: number } };
}

export function ratioOf(run: ThroughputRun): number {
  return run.cluster.tokensPerSecond / run.inProcess.tokensPerSecond;
}

/** CPU seconds per output token, in-process ÷ cluster (all its processes): 1 = no CPU spent on the boundaries. */
export function cpuRatioOf(run: ThroughputRun): number {
  const clusterCpu = Object.values(run.cluster.cpuSecondsByService).reduce((a, b) => a + b, 0);
  return run.inProcess.cpuSeconds / run.inProcess.outputTokens / (clusterCpu / run.cluster.outputTokens);
}

/** Other tasks' cores above which a timed part is not like against like (the fidelity bench's gate). */
export const QUIET_OTHER_CORES = 0.1;

/**
 * Which gate judges the runs, and whether they pass it. Round 10: where every run measured the other tasks'
 * cores during both timed parts, every part must have used at most QUIET_OTHER_CORES ('other-tasks'): the
 * 1-minute load average counts the bench's own previous part (two busy onnxruntime threads, then the cluster),
 * so on 2 cores it stays near 3 with nothing else running. Otherwise (no cgroup v1, or an older result) the
 * load gate: no run started with a 1-minute load average at or above the number of cores ('load').
 */
export function quietGate(r: ThroughputResult): { gate: 'other-tasks' | 'load'; quiet: boolean; worst: number } {
  const others = r.runs.flatMap((x) => [x.otherCores?.inProcess ?? null, x.otherCores?.cluster ?? null]);
  if (others.length > 0 && others.every((o) => o !== null)) {
    const worst = Math.max(...(others as number[]));
    return { gate: 'other-tasks', quiet: worst <= QUIET_OTHER_CORES, worst };
  }
  const worst = Math.max(...r.runs.map((x) => x.loadBefore[0] ?? Number.POSITIVE_INFINITY));
  return { gate: 'load', quiet: worst < r.machine.cpus, worst };
}

/** True when the runs pass their gate (quietGate). */
export function isQuiet(r: ThroughputResult): boolean {
  return quietGate(r).quiet;
}

/** Median of a small list (the lower middle for an even count, like @oicf/core's nearest rank). */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.ceil(s.length / 2) - 1] ?? Number.NaN;
}

export function renderThroughputMarkdown(r: ThroughputResult): string {
  const w = r.workload;
  const ratios = r.runs.map(ratioOf);
  const m = median(ratios);
  const cpuRatios = r.runs.map(cpuRatioOf);
  const gate = quietGate(r);
  const quiet = gate.quiet;
  const other = (o: number | null | undefined) => (o === null || o === undefined ? 'n/a' : o.toFixed(2));
  const verdict = (met: boolean) => (met ? '**met**' : '**not met**');
  const rows = r.runs
    .map(
      (x) =>
        `| ${x.run} | ${x.inProcess.tokensPerSecond.toFixed(1)} | ${x.cluster.tokensPerSecond.toFixed(1)} | **${ratioOf(x).toFixed(2)}** | ${((1e3 * x.inProcess.cpuSeconds) / x.inProcess.outputTokens).toFixed(2)} | ${((1e3 * Object.values(x.cluster.cpuSecondsByService).reduce((a, b) => a + b, 0)) / x.cluster.outputTokens).toFixed(2)} | ${x.loadBefore.join(' ')} → ${x.loadAfter.join(' ')} | ${other(x.otherCores?.inProcess)} / ${other(x.otherCores?.cluster)} |`,
    )
    .join('\n');
  const services = Object.keys(r.runs[0]?.cluster.cpuSecondsByService ?? {});
  const cpuRows = services
    .map(
      (name) =>
        `| ${name} | ${r.runs.map((x) => ((1e3 * (x.cluster.cpuSecondsByService[name] ?? 0)) / x.cluster.outputTokens).toFixed(3)).join(' / ')} |`,
    )
    .join('\n');
  return `# Cluster vs in-process throughput

${w.numRequests} requests of ${w.promptTokens} prompt + ${w.outputTokens} output tokens (${w.model}, fp32, greedy), ${w.concurrency} in flight, on ${r.machine.cpus} cores; ${r.at}, Node ${r.node}: \`${r.command}\`.
Cluster: ${r.clusterShape}, every service its own process run from its build. In-process: the same engine and kernels in one process, ${r.machine.cpus} intra-op threads. Both sides warmed outside the timed region (every decode batch size built).

| run | in-process tokens/s | cluster tokens/s | cluster ÷ in-process | in-process CPU ms/token | cluster CPU ms/token (all processes) | load average before → after | other tasks (cores), in-process / cluster |
| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |
${rows}

Ratio over ${r.runs.length} run(s): median ${m.toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); ${
    quiet
      ? `goal (issue 11) ≥ ${r.goals.ratio.floor}: ${verdict(m >= r.goals.ratio.floor)}; stretch ≥ ${r.goals.ratio.stretch}: ${verdict(m >= r.goals.ratio.stretch)}.`
      : `goal (issue 11) ≥ ${r.goals.ratio.floor}: **not judged**: the machine was busy (${gate.gate === 'other-tasks' ? `other tasks used up to ${gate.worst.toFixed(2)} cores during a timed part, gate ${QUIET_OTHER_CORES}` : `1-minute load average up to ${gate.worst.toFixed(1)} before a run, on ${r.machine.cpus} cores`}), and under contention the wall-clock ratio measures the scheduler (one process with two onnxruntime threads against six single-threaded ones), not the cluster. Rerun on a quiet machine.`
  } Gate: ${gate.gate === 'other-tasks' ? `the other tasks' cores during every timed part ≤ ${QUIET_OTHER_CORES}` : 'the 1-minute load average before every run below the number of cores'}.
CPU per output token, in-process ÷ cluster (1 = the cluster spends no CPU on its process boundaries): median ${median(cpuRatios).toFixed(2)} (${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)}). The in-process runner's two onnxruntime threads may spin while waiting, which this counts as its CPU.
The cluster's processes share the same ${r.machine.cpus} cores, so it pays for every process boundary (HTTP, request plane, KV handoff) without gaining hardware; the wall-clock ratio also moves with whatever else runs on the machine (load average above), the CPU per token much less.

CPU ms per output token by process (runs separated by /):

| process | CPU ms/token |
| --- | --- |
${cpuRows}
`;
}
