// This process's own CPU time and run-queue wait from /proc (the bench client's cost and why it fell
// behind, round 11): utime + stime of the whole process (proc(5) stat fields 14–15, 100 ticks/s), and per
// thread the time spent runnable but waiting for a CPU (/proc/<pid>/task/<tid>/schedstat, second field, ns;
// present when the kernel has schedstats, NaN otherwise).
import { readdirSync, readFileSync } from 'node:fs';
import { machineCpuSeconds } from '@oicf/cluster';

export interface ClientSelfSample {
  /** Process CPU seconds, every thread. */
  readonly cpuSeconds: number;
  /** Seconds the main thread was runnable but not running. */
  readonly mainRunQueueSeconds: number;
  /** The same summed over every thread alive now (threads that ended are not counted). */
  readonly threadsRunQueueSeconds: number;
}

const runQueueSeconds = (tid: string) => {
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return Number.NaN;
  }
};

/** A sample of this process's CPU and run-queue wait; differences of two samples give a window's. */
export function sampleClientSelf(): ClientSelfSample {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const rest = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  let threads = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    const s = runQueueSeconds(tid);
    if (!Number.isNaN(s)) threads += s;
  }
  return {
    cpuSeconds: (Number(rest[11]) + Number(rest[12])) / 100,
    mainRunQueueSeconds: runQueueSeconds(String(process.pid)),
    threadsRunQueueSeconds: threads,
  };
}

/** The whole machine's busy and steal CPU seconds so far (NaN off Linux). */
export function sampleMachine(): { busySeconds: number; stealSeconds: number } {
  return machineCpuSeconds() ?? { busySeconds: Number.NaN, stealSeconds: Number.NaN };
}
