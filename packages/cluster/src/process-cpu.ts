// CPU time a process has used, from /proc (Linux), for benchmarks that report CPU per unit of work beside
// wall-clock figures: on a shared machine the scheduler moves latencies around, but the CPU a process
// spent on its work stays put.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux build). */
const TICKS_PER_SECOND = 100;

export interface ProcessCpu {
  /** User + system seconds of every thread of the process. */
  readonly totalSeconds: number;
  /** User + system seconds of its main thread (tid = pid: JavaScript, libuv I/O, syscalls). */
  readonly mainThreadSeconds: number;
}

/**
 * utime + stime of a /proc stat line, in seconds. The fields after "pid (comm) " start with the state
 * (field 3); utime and stime are fields 14 and 15 (proc(5)), i.e. indexes 11 and 12 after the comm. The comm
 * may hold spaces and parentheses, so the split is at the last ") ".
 */
export function statCpuSeconds(statLine: string): number {
  const rest = statLine.slice(statLine.lastIndexOf(') ') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
}

/** CPU seconds of `pid` (all threads, and its main thread), or NaN figures when it cannot be read. */
export function processCpu(pid: number | undefined, procRoot = '/proc'): ProcessCpu {
  if (pid === undefined) return { totalSeconds: Number.NaN, mainThreadSeconds: Number.NaN };
  const read = (file: string) => {
    try {
      return statCpuSeconds(readFileSync(file, 'utf8'));
    } catch {
      return Number.NaN;
    }
  };
  return {
    totalSeconds: read(`${procRoot}/${pid}/stat`),
    mainThreadSeconds: read(`${procRoot}/${pid}/task/${pid}/stat`),
  };
}

/**
 * CPU seconds of process `pid` so far by thread and mode, keyed "<thread> user" and "<thread> sys": "main" is
 * the main thread (tid = pid), other threads go by their comm (Node 20's thread pool threads are called
 * "node", V8's GC helpers "V8 DefaultWorke"), threads of one name summed. Empty when unreadable.
 */
export function cpuSecondsByThread(pid: number | undefined, procRoot = '/proc'): Map<string, number> {
  const out = new Map<string, number>();
  if (pid === undefined) return out;
  try {
    for (const tid of readdirSync(`${procRoot}/${pid}/task`)) {
      const stat = readFileSync(`${procRoot}/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      out.set(`${name} user`, (out.get(`${name} user`) ?? 0) + Number(fields[11]) / TICKS_PER_SECOND);
      out.set(`${name} sys`, (out.get(`${name} sys`) ?? 0) + Number(fields[12]) / TICKS_PER_SECOND);
    }
  } catch {}
  return out;
}

/** Minor page faults of process `pid` so far (field 10 of /proc/<pid>/stat: fresh pages touched); NaN when unreadable. */
export function minorFaults(pid: number | undefined, procRoot = '/proc'): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[7]);
  } catch {
    return Number.NaN;
  }
}

/**
 * Busy and steal CPU seconds of the whole machine so far: /proc/stat's first line (user nice system idle iowait irq
 * softirq steal, in USER_HZ ticks); busy is all of it less idle and iowait, steal the time the hypervisor ran
 * something else on this machine's CPUs. Undefined when unreadable (off Linux).
 */
export function machineCpuSeconds(procRoot = '/proc'): { busySeconds: number; stealSeconds: number } | undefined {
  try {
    const fields = (readFileSync(`${procRoot}/stat`, 'utf8').split('\n')[0] ?? '')
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return {
      busySeconds: (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND,
      stealSeconds: steal / TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

/** Busy CPU seconds of the whole machine so far (machineCpuSeconds); undefined when unreadable (off Linux). */
export function machineBusySeconds(procRoot = '/proc'): number | undefined {
  return machineCpuSeconds(procRoot)?.busySeconds;
}

/** The 1, 5 and 15 minute load averages (NaN when /proc/loadavg cannot be read). */
export function loadAverage(procRoot = '/proc'): [number, number, number] {
  try {
    const [a, b, c] = readFileSync(`${procRoot}/loadavg`, 'utf8').split(' ').map(Number);
    return [a ?? Number.NaN, b ?? Number.NaN, c ?? Number.NaN];
  } catch {
    return [Number.NaN, Number.NaN, Number.NaN];
  }
}
