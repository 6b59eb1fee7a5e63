// Where the threads of the twin's host computations run, under per-core scheduling (host-cpu.ts): Linux
// keeps a run queue per core and shares each core among the threads queued on it, so a thread placed beside
// a long kernel gets half of that core while a kernel alone on the other core keeps all of its own. A
// thread that becomes runnable goes to the core with the fewest threads (an idle one when there is one;
// among equals the core its thread last ran on, else the lowest); when a computation finishes and a core
// then holds two or more threads more than another (an emptied core beside one holding two, most often), the
// least loaded core pulls the busiest core's most recently placed single-thread computation, until no core
// holds two more than another (idle balancing). Pure bookkeeping: the host computes rates and times from it.

/** What placement needs of a computation. */
export interface Placed {
  /** Cores it holds a thread on (one each; `threads` > cores: every core, `threads ÷ cores` each). */
  cores: number[];
  readonly threads: number;
  /** Which thread it is (a process's main thread, a worker's kernel): it prefers the core it last used. */
  readonly affinity: string | undefined;
  /** Order of placement (later = larger): idle balancing pulls the latest. */
  placedSeq: number;
}

export class CorePlacement {
  /** Threads queued on each core. */
  readonly threadsOn: number[];
  /** The core each affinity key's thread last ran on. */
  private readonly lastCore = new Map<string, number>();
  private seq = 0;

  constructor(readonly cores: number) {
    this.threadsOn = new Array<number>(cores).fill(0);
  }

  /** Places a starting computation's threads on the least-loaded cores. */
  place(c: Placed): void {
    c.placedSeq = ++this.seq;
    if (c.threads >= this.cores) {
      c.cores = this.threadsOn.map((_, k) => k);
      for (let k = 0; k < this.cores; k++) this.add(k, c.threads / this.cores);
      return;
    }
    const preferred = c.affinity === undefined ? undefined : this.lastCore.get(c.affinity);
    const order = this.threadsOn
      .map((n, k) => ({ n, k }))
      .sort((x, y) => x.n - y.n || Number(y.k === preferred) - Number(x.k === preferred) || x.k - y.k);
    c.cores = order.slice(0, c.threads).map((o) => o.k);
    for (const k of c.cores) this.add(k, 1);
    if (c.affinity !== undefined && c.cores.length === 1) this.lastCore.set(c.affinity, c.cores[0] as number);
  }

  /** A computation finished: its threads leave their cores. */
  remove(c: Placed): void {
    const w = c.threads >= this.cores ? c.threads / this.cores : 1;
    for (const k of c.cores) this.add(k, -w);
  }

  /**
   * Idle balancing: while a core holds at least 2 more threads than another, moves the most recently placed
   * single-thread computation from the busiest core to the least busy. Returns whether anything moved.
   */
  balance(running: readonly Placed[]): boolean {
    let moved = false;
    for (;;) {
      let hi = 0;
      let lo = 0;
      for (let k = 1; k < this.cores; k++) {
        if ((this.threadsOn[k] as number) > (this.threadsOn[hi] as number)) hi = k;
        if ((this.threadsOn[k] as number) < (this.threadsOn[lo] as number)) lo = k;
      }
      if ((this.threadsOn[hi] as number) - (this.threadsOn[lo] as number) < 2) return moved;
      let pick: Placed | undefined;
      for (const c of running) {
        if (c.threads !== 1 || c.cores[0] !== hi) continue;
        if (pick === undefined || c.placedSeq > pick.placedSeq) pick = c;
      }
      if (pick === undefined) return moved;
      this.add(hi, -1);
      this.add(lo, 1);
      pick.cores = [lo];
      if (pick.affinity !== undefined) this.lastCore.set(pick.affinity, lo);
      moved = true;
    }
  }

  private add(k: number, n: number): void {
    const v = (this.threadsOn[k] as number) + n;
    // Float drift of fractional shares must not leave a ghost thread.
    this.threadsOn[k] = Math.abs(v) < 1e-9 ? 0 : v;
  }
}
