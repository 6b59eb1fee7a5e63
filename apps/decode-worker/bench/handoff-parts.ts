// Where a handoff round's wall time goes, per process (handoff.bench.ts with HANDOFF_BENCH_PARTS=1): each main
// thread's time on a CPU, waiting for one (runnable, not running: the scheduler gave the core to someone else) and
// asleep (waiting for its peer), from /proc/<pid>/task/<pid>/schedstat; context switches from /proc/<pid>/status;
// and the parts measured in code: the sender's copies into staging (timed here) and the receiver's synchronous
// frame receipt (check + copy + XXH32, its oicf_decode_main_thread_work_seconds_total{work="handoff_receive"}).
import { readFileSync } from 'node:fs';
import { ShmStaging } from '@oicf/pool-client';

export interface ThreadSched {
  /** Seconds on a CPU. */
  readonly runSeconds: number;
  /** Seconds runnable but waiting on a run queue. */
  readonly waitSeconds: number;
  readonly slices: number;
  readonly voluntarySwitches: number;
  readonly involuntarySwitches: number;
}

/** The main thread's scheduler figures (schedstat: run ns, run-queue wait ns, time slices); NaN when unreadable. */
export function mainThreadSched(pid: number | undefined): ThreadSched {
  const nan = { runSeconds: Number.NaN, waitSeconds: Number.NaN, slices: Number.NaN };
  let sched = nan;
  let vol = Number.NaN;
  let invol = Number.NaN;
  if (pid === undefined) return { ...nan, voluntarySwitches: vol, involuntarySwitches: invol };
  try {
    const [run, wait, slices] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')
      .trim()
      .split(' ')
      .map(Number);
    sched = { runSeconds: (run ?? Number.NaN) / 1e9, waitSeconds: (wait ?? Number.NaN) / 1e9, slices: slices ?? 0 };
    const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
    vol = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]);
    invol = Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]);
  } catch {}
  return { ...sched, voluntarySwitches: vol, involuntarySwitches: invol };
}

export function schedDelta(a: ThreadSched, b: ThreadSched): ThreadSched {
  return {
    runSeconds: b.runSeconds - a.runSeconds,
    waitSeconds: b.waitSeconds - a.waitSeconds,
    slices: b.slices - a.slices,
    voluntarySwitches: b.voluntarySwitches - a.voluntarySwitches,
    involuntarySwitches: b.involuntarySwitches - a.involuntarySwitches,
  };
}

/** The decode worker's handoff_receive seconds so far, from its /metrics (NaN when it cannot be read). */
export async function receiveSeconds(httpUrl: string | undefined): Promise<number> {
  if (httpUrl === undefined) return Number.NaN;
  try {
    const text = await (await fetch(`${httpUrl.replace(/\/$/, '')}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => !l.startsWith('#') && l.includes('main_thread_work') && l.includes('handoff_receive'));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  } catch {
    return Number.NaN;
  }
}

/** ShmStaging that sums the seconds its copies in (put) take. */
export class TimedStaging extends ShmStaging {
  putSeconds = 0;
  override put(bytes: Uint8Array) {
    const t0 = performance.now();
    const extent = super.put(bytes);
    this.putSeconds += (performance.now() - t0) / 1000;
    return extent;
  }
}

/** One line: wall, and per main thread run / run-queue wait / asleep (ms), switches, and the measured parts. */
export function partsLine(
  t: string,
  wallSeconds: number,
  sender: ThreadSched,
  receiver: ThreadSched,
  parts: {
    putSeconds?: number;
    receiveSeconds?: number;
    receiverFaults: number;
    senderFaults?: number;
    /** Milliseconds of the sender's GC pauses (PerformanceObserver 'gc'). */
    senderGcMs?: number;
    /** Cores busy with other processes over the round (machine busy − sender − receiver, /proc; 10 ms ticks). */
    otherCores?: number;
  },
): string {
  const ms = (s: number) => (s * 1000).toFixed(1);
  const side = (name: string, s: ThreadSched) =>
    `${name} run ${ms(s.runSeconds)} wait ${ms(s.waitSeconds)} asleep ${ms(wallSeconds - s.runSeconds - s.waitSeconds)} ` +
    `switches ${s.voluntarySwitches}v/${s.involuntarySwitches}i`;
  const extra = [
    parts.putSeconds === undefined ? '' : ` sender copy-in ${ms(parts.putSeconds)}`,
    parts.receiveSeconds === undefined ? '' : ` receiver receipt ${ms(parts.receiveSeconds)}`,
    parts.senderFaults === undefined ? '' : ` sender faults ${parts.senderFaults}`,
    parts.senderGcMs === undefined ? '' : ` sender gc ${parts.senderGcMs.toFixed(1)}`,
    parts.otherCores === undefined ? '' : ` other cores ${parts.otherCores.toFixed(2)}`,
  ].join('');
  return `parts ${t}: wall ${ms(wallSeconds)} ms; ${side('sender', sender)}; ${side('receiver', receiver)};${extra} receiver faults ${parts.receiverFaults}\n`;
}
