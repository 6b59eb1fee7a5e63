import { readdirSync, readFileSync } from 'node:fs';
import { median } from '@oicf/core';

/**
 * Whether a timed run had the cores it asked for. Three signals, recorded per run:
 *
 *   computeWaitFraction  the same for the one thread that ran longest during the run (the
 *                  thread running session.run: onnxruntime-node runs it on the main thread, at 1
 *                  intra-op thread all of it). Measured on a 512-token prefill on a machine with
 *                  nothing else running: the main thread ran 0.92–0.97 of the wall time and waited
 *                  0–0.04, while V8's four helper threads (GC) ran 0.03–0.05 each and waited
 *                  0.05–0.12 each, so the summed waitFraction read 0.2–0.45 and called a run
 *                  contended that was not. The preferred signal where recorded (round 5).
 *   waitFraction   Linux schedstat of this process's threads (/proc/self/task/<tid>/schedstat,
 *                  second field: ns spent runnable but waiting for a CPU), summed over the threads,
 *                  ÷ the run's wall time. ≈ 0 means no thread of ours waited: other processes did
 *                  not delay this run, however busy the machine was otherwise. Measured under load
 *                  10–15 on this 2-core machine: 1.4–2.0 (both threads waiting most of a run that
 *                  took 25× its quiet time). The preferred signal.
 *   stallFraction  pressure stall information (/proc/pressure/cpu, `some`): the share of the run
 *                  during which any task waited for a CPU — including other processes' tasks
 *                  waiting while ours ran, so it flags runs that were not slowed. Recorded only.
 *   preemptions    involuntary context switches of this process (getrusage): the fallback signal
 *                  where schedstat is absent.
 *   otherCores     CPU time every other task used during the run, in cores: the host cgroup's
 *                  cpuacct.usage (ns, all tasks) minus this process's CPU time (getrusage), ÷ wall.
 *                  With 1 onnxruntime thread our thread never waits, yet a co-runner on the other
 *                  core shares the caches and memory bus: waitFraction cannot see it, this can.
 *                  The kernel charges a running task's time at ticks and switches, so one
 *                  millisecond-long run reads noisily; summed over a point's runs it is a measure
 *                  (point-repeats.ts judges it per repeat). Recorded only here.
 *
 * A run is clean when its compute thread's wait fraction (files before round 5: all threads') is at
 * most MAX_WAIT_FRACTION (without schedstat: when
 * nothing preempted it). Dropping the others removes other processes' CPU use, not the kernel's
 * own costs; caches and memory bandwidth stay shared with whatever else runs.
 */
export interface RunQuality {
  readonly preemptions: number;
  /** null where /proc/pressure/cpu is unavailable. */
  readonly stallFraction: number | null;
  /** null where /proc/self/task/<tid>/schedstat is unavailable. */
  readonly waitFraction?: number | null;
  /** null where schedstat is unavailable; absent in files before round 5 (then waitFraction judges). */
  readonly computeWaitFraction?: number | null;
  /** null where the cgroup's cpuacct.usage is unavailable; absent in files before round 5. */
  readonly otherCores?: number | null;
}

/** A run whose threads waited for a CPU at most this share of its wall time counts as clean. */
export const MAX_WAIT_FRACTION = 0.05;

export function isCleanRun(q: RunQuality): boolean {
  const w = q.computeWaitFraction ?? q.waitFraction ?? null;
  return w === null ? q.preemptions === 0 : w <= MAX_WAIT_FRACTION;
}

/**
 * Indices of the clean runs when there are at least `minClean` of them (default: half the runs,
 * at least one); otherwise none, and the point's medians use every run and say it is not clean.
 */
export function cleanRuns(runs: readonly RunQuality[], minClean = Math.max(1, Math.ceil(runs.length / 2))): number[] {
  const clean = runs.flatMap((q, i) => (isCleanRun(q) ? [i] : []));
  return clean.length >= minClean ? clean : [];
}

/** Median of `values` over the clean runs `kept`, or over all when none is kept. */
export function cleanMedian(values: readonly number[], kept: readonly number[]): number {
  return median(kept.length > 0 ? kept.map((i) => values[i] ?? Number.NaN) : values);
}

/** Cumulative µs during which some task waited for a CPU, or undefined without PSI (non-Linux, old kernels). */
export function cpuStallMicros(): number | undefined {
  try {
    const m = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m?.[1] === undefined ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

/** Total ns this process's threads have spent runnable but waiting for a CPU, or undefined without schedstat. */
export function threadWaitNanos(): number | undefined {
  let total = 0;
  let any = false;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  for (const tid of tasks) {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ');
      total += Number(fields[1] ?? 0);
      any = true;
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return any ? total : undefined;
}

/** The cgroup v1 CPU accounting of every task on the host (this container's root), in ns. */
export const HOST_CPU_USAGE_PATH = '/sys/fs/cgroup/cpuacct/cpuacct.usage';

/** Cumulative ns of CPU every task in the host cgroup has used, or undefined without cgroup v1 cpuacct. */
export function hostCpuNanos(path = HOST_CPU_USAGE_PATH): number | undefined {
  try {
    const v = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** This process's CPU time (all threads, user + system) in ns. */
export function ownCpuNanos(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
}

/** Per thread of this process: ns on a CPU and ns runnable but waiting (schedstat fields 1 and 2). */
export function threadTimes(): Map<string, { readonly runNanos: number; readonly waitNanos: number }> | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const out = new Map<string, { runNanos: number; waitNanos: number }>();
  for (const tid of tasks) {
    try {
      const f = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ');
      out.set(tid, { runNanos: Number(f[0] ?? 0), waitNanos: Number(f[1] ?? 0) });
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return out.size > 0 ? out : undefined;
}

/**
 * The wait fraction of the thread that ran longest between two threadTimes() snapshots `wallNanos`
 * apart, and the sum over all threads (waitFraction); undefined without schedstat.
 */
export function waitFractions(
  before: ReturnType<typeof threadTimes>,
  after: ReturnType<typeof threadTimes>,
  wallNanos: number,
): { compute: number; all: number } | undefined {
  if (before === undefined || after === undefined) return undefined;
  let all = 0;
  let busiest = -1;
  let compute = 0;
  for (const [tid, b] of after) {
    const a = before.get(tid) ?? { runNanos: 0, waitNanos: 0 };
    const ran = b.runNanos - a.runNanos;
    const waited = b.waitNanos - a.waitNanos;
    all += waited;
    if (ran > busiest) {
      busiest = ran;
      compute = waited;
    }
  }
  return { compute: compute / wallNanos, all: all / wallNanos };
}
