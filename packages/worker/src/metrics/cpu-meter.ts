// Where a worker process's CPU goes, part by part of its loop (issue 12: the twin must know which work is on the
// path to a token and which only takes a core). A measurement, never an input to a decision: each `mark(part)`
// charges the process CPU (all its threads: getrusage via process.cpuUsage, user and system apart) and the wall
// time since the previous mark to `part`.

/** Process CPU as process.cpuUsage() reports it: microseconds of user and system time, all threads. */
export interface CpuUsageMicros {
  readonly user: number;
  readonly system: number;
}

/** Receives one charged interval: seconds of user and system CPU and of wall time spent in `part`. */
export type CpuMeterSink<Part extends string> = (
  part: Part,
  userSeconds: number,
  systemSeconds: number,
  wallSeconds: number,
) => void;

export class CpuMeter<Part extends string> {
  private lastCpu: CpuUsageMicros;
  private lastWallSeconds: number;

  /** `cpu` and `nowSeconds` are the process's by default (ports for tests). */
  constructor(
    private readonly sink: CpuMeterSink<Part>,
    private readonly cpu: () => CpuUsageMicros = () => process.cpuUsage(),
    private readonly nowSeconds: () => number = () => performance.now() / 1000,
  ) {
    this.lastCpu = cpu();
    this.lastWallSeconds = nowSeconds();
  }

  /** Charges everything since the previous mark (or construction) to `part`, and starts the next interval. */
  mark(part: Part): void {
    const cpu = this.cpu();
    const now = this.nowSeconds();
    this.sink(
      part,
      Math.max(0, cpu.user - this.lastCpu.user) / 1e6,
      Math.max(0, cpu.system - this.lastCpu.system) / 1e6,
      Math.max(0, now - this.lastWallSeconds),
    );
    this.lastCpu = cpu;
    this.lastWallSeconds = now;
  }
}

type Child = { inc(value?: number): void };

/** What a meter charges into: the worker's loop_cpu_seconds (by part and kind) and loop_wall_seconds (by part). */
export interface LoopCpuCounters {
  readonly loopCpuSeconds: { labels(labels: { part: string; kind: string }): Child };
  readonly loopWallSeconds: { labels(labels: { part: string }): Child };
  readonly loopIntervals: { labels(labels: { part: string }): Child };
}

/**
 * A meter charging the worker's loop_cpu_seconds / loop_wall_seconds counters. Each part's four series are bound
 * once, at its first mark: a mark on the step path builds no label object.
 */
export function loopCpuMeter<Part extends string>(wm: LoopCpuCounters): CpuMeter<Part> {
  const byPart = new Map<Part, { user: Child; system: Child; wall: Child; n: Child }>();
  return new CpuMeter<Part>((part, user, system, wall) => {
    let c = byPart.get(part);
    if (c === undefined) {
      c = {
        user: wm.loopCpuSeconds.labels({ part, kind: 'user' }),
        system: wm.loopCpuSeconds.labels({ part, kind: 'system' }),
        wall: wm.loopWallSeconds.labels({ part }),
        n: wm.loopIntervals.labels({ part }),
      };
      byPart.set(part, c);
    }
    c.user.inc(user);
    c.system.inc(system);
    c.wall.inc(wall);
    c.n.inc();
  });
}
