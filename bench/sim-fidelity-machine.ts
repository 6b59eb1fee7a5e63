// The machine's state beside each real run of the fidelity bench (issue 12, round 6): this VM's speed drifts
// by a third within hours (round 5: the same code 33–39 % slower in TTFT p50 three hours after the quiet
// runs), so every real run records what the machine was doing, and a fit is judged only against runs taken
// in the same window. Recorded before and after a run: the load averages, what the other tasks of the host
// cgroup used (cgroup v1 cpuacct.usage less this process's CPU, over a short idle window), and the read
// probe of the step-time bench (packages/kernels/src/roofline/read-probe.ts: the read rate of a 16 and a
// 64 MiB working set, ≈ 20 or ≈ 8 GB/s depending on whether the shared last-level cache holds it). During
// a run: the host cgroup's CPU less the cluster's and the client's (from the run's per-process samples).
import { loadavg } from 'node:os';
import { hostCpuNanos, ownCpuNanos, ReadProbe, type ReadRate } from '@oicf/kernels';
import type { HostSample } from '@oicf/sim';

// The host cgroup's CPU (cgroup v1 cpuacct) and this process's, read as the step-time bench reads them.
export { hostCpuNanos };

export interface MachineState {
  readonly atIso: string;
  readonly loadAverage: readonly number[];
  /** Cores the host cgroup's other tasks used over the idle window (null without cgroup v1 cpuacct). */
  readonly otherCores: number | null;
  readonly idleWindowSeconds: number;
  readonly readProbe: readonly ReadRate[];
}

let probe: ReadProbe | undefined;

/** The machine now: an idle window of `idleSeconds` (nothing of ours runs), then the read probe. */
export async function machineState(idleSeconds = 2): Promise<MachineState> {
  const h0 = hostCpuNanos();
  const o0 = ownCpuNanos();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const h1 = hostCpuNanos();
  const o1 = ownCpuNanos();
  const wall = (performance.now() - t0) / 1000;
  const otherCores = h0 === undefined || h1 === undefined ? null : (h1 - h0 - (o1 - o0)) / 1e9 / wall;
  probe ??= new ReadProbe();
  return {
    atIso: new Date().toISOString(),
    loadAverage: loadavg(),
    otherCores,
    idleWindowSeconds: wall,
    readProbe: probe.measure(),
  };
}

/** The host cgroup's CPU at the start and end of a run (ns), for `otherCoresDuring`. */
export interface CgroupSpan {
  readonly startNanos: number | undefined;
  readonly endNanos: number | undefined;
  readonly wallSeconds: number;
}

/**
 * Cores the host's other tasks used during a run: the cgroup's CPU over the run less every sampled process's
 * (the cluster's services and the client, first to last sample), ÷ the run's wall time. The samples span the
 * run a little less than the cgroup reads do (their own first and last reads), so this is an upper bound by
 * the cluster's CPU in those few milliseconds.
 */
export function otherCoresDuring(span: CgroupSpan, samples: readonly HostSample[]): number | null {
  if (span.startNanos === undefined || span.endNanos === undefined || samples.length < 2) return null;
  // Per process, its first and last readable CPU figure (a /proc read can fail for one sample: NaN).
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const s of samples) {
    for (const [name, p] of Object.entries(s.processes)) {
      if (!Number.isFinite(p.cpuSeconds)) continue;
      if (!first.has(name)) first.set(name, p.cpuSeconds);
      last.set(name, p.cpuSeconds);
    }
  }
  let ours = 0;
  for (const [name, v] of last) ours += v - (first.get(name) ?? v);
  return ((span.endNanos - span.startNanos) / 1e9 - ours) / span.wallSeconds;
}

/** One line for logs and the README. */
export function describeMachine(m: MachineState): string {
  const rates = m.readProbe.map((r) => `${r.mib} MiB ${r.gbps.toFixed(1)} GB/s`).join(', ');
  const other = m.otherCores === null ? 'n/a' : m.otherCores.toFixed(2);
  return `load ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')}, other tasks ${other} cores, read probe ${rates}`;
}

/**
 * Waits (idle windows of 2 s, up to `maxSeconds`) until the host cgroup's other tasks use at most `maxCores`,
 * and returns the last state measured with whether it met the gate (a run taken after a timeout is kept but
 * marked: a fit and judged runs are like against like only when every one of them met it).
 */
export async function waitForQuietMachine(
  maxCores: number,
  maxSeconds: number,
): Promise<{ state: MachineState; quiet: boolean }> {
  const deadline = performance.now() + maxSeconds * 1000;
  for (;;) {
    const state = await machineState();
    const quiet = state.otherCores === null || state.otherCores <= maxCores;
    if (quiet || performance.now() >= deadline) return { state, quiet };
    console.log(`  waiting for other tasks to go quiet: ${describeMachine(state)} (gate ${maxCores} cores)`);
  }
}
