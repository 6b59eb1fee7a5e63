// The local cluster's workers share this machine's cores (the twin of `oicf cluster up` on 2 cores runs 4
// workers). A computation has a CPU work of `seconds` (what it takes with the machine to itself, as the
// step-time model priced it) and demands `threads` cores (its onnxruntime intra-op threads). How the cores
// are shared (`HostScheduling`):
//   - 'per-core' (default; Linux's run queue per core): each thread is placed on a core when it starts
//     (core-placement.ts: the least-loaded core, its last core among equals; an emptied core pulls a
//     waiting thread), and each core is shared equally by the threads on it: a thread proceeds at
//     min(1, 1 ÷ the threads on its core), a computation of several threads at its slowest thread's rate.
//     So a decode step that lands beside a long prefill gets half a core while the other prefill keeps its
//     own core whole, as on the cluster (docs/simulation-fidelity-rounds.md, round 5).
//   - 'shared' (processor sharing over the whole host): every computation proceeds at rate
//     min(1, cores ÷ Σ threads demanded).
// Each start and each finish re-times the running ones: their remaining work is advanced at the old rates
// up to now and the next finish is scheduled at the new rates (a version number makes the superseded
// finish event a no-op). The kernels run here directly; the services' own main-thread work (router, pool,
// client, the workers' loops: host-cost model) runs here through each process's FIFO (process-cpu.ts), and
// what processes use while idle is a fractional background demand (`addBackground`), poured onto the least
// loaded cores first (`fillLoads`), as is a measured foreign load (`setForeign`).
import { CorePlacement, type Placed } from './core-placement.js';
import type { EventQueue } from './event-queue.js';

/** Work left (seconds) below which a computation counts as finished: float drift of re-timing, not work. */
const DONE_EPSILON_SECONDS = 1e-12;

/** How the host's cores are shared among its computations (header). */
export type HostScheduling = 'per-core' | 'shared';

interface Computation extends Placed {
  readonly tag: string;
  remainingSeconds: number;
  /** Its rate since the last re-timing (1 = as if alone). */
  rate: number;
  readonly aloneSeconds: number;
  readonly startSeconds: number;
  readonly done: () => void;
}

export class HostCpu {
  private running: Computation[] = [];
  private demandThreads = 0;
  private readonly placement: CorePlacement;
  /** Virtual time up to which `running`'s remaining work is accounted. */
  private accountedSeconds = 0;
  private version = 0;
  /** Computations that took longer than alone, and the seconds added, for reports. */
  numStretched = 0;
  addedSeconds = 0;
  /** Alone-seconds of every computation started, by tag (`kernel:prefill`, `process:router`, …). */
  readonly workSecondsByTag = new Map<string, number>();
  /**
   * Seconds from start to finish of every computation finished, by tag: beside `workSecondsByTag`, the
   * share of a core each kind got (alone ÷ wall), what the workers' loop meters measure as CPU ÷ wall.
   */
  readonly wallSecondsByTag = new Map<string, number>();
  /** Cores' worth of demand always present (idle processes' timers, heartbeats, scrapes). */
  private backgroundCores = 0;
  /** Cores other processes of the machine demand now (a measured load replayed; `setForeign`). */
  private foreignCores = 0;

  constructor(
    private readonly queue: EventQueue,
    readonly cores: number,
    readonly scheduling: HostScheduling = 'per-core',
  ) {
    if (!(cores >= 1)) throw new Error(`host cores must be ≥ 1, got ${cores}`);
    if (scheduling !== 'per-core' && scheduling !== 'shared') {
      throw new Error(`host scheduling must be 'per-core' or 'shared', got ${JSON.stringify(scheduling)}`);
    }
    // A run queue per core: a fraction of a core has none (flooring it would drop that share of the host).
    if (scheduling === 'per-core' && !Number.isInteger(cores)) {
      throw new Error(`host cores must be a whole number with per-core scheduling, got ${cores}`);
    }
    this.placement = new CorePlacement(Math.floor(cores));
  }

  /** Computations running now. */
  get numRunning(): number {
    return this.running.length;
  }

  /**
   * Starts a computation of `seconds` (alone) demanding `threads` cores now; `done` runs when it finishes.
   * `tag` names what it is in `workSecondsByTag` (reports only); `thread` says which thread runs it (a
   * process's main thread): per-core, it goes back to the core that thread last ran on when no core is
   * less loaded.
   */
  run(seconds: number, threads: number, done: () => void, tag = 'other', thread?: string): void {
    if (!(seconds >= 0)) throw new Error(`host computation seconds must be ≥ 0, got ${seconds}`);
    if (!(threads >= 1)) throw new Error(`host computation threads must be ≥ 1, got ${threads}`);
    this.advance();
    this.workSecondsByTag.set(tag, (this.workSecondsByTag.get(tag) ?? 0) + seconds);
    const now = this.queue.nowSeconds;
    const c: Computation = {
      tag,
      remainingSeconds: seconds,
      threads,
      aloneSeconds: seconds,
      startSeconds: now,
      done,
      rate: 1,
      cores: [],
      affinity: thread,
      placedSeq: 0,
    };
    this.placement.place(c);
    this.running.push(c);
    this.demandThreads += threads;
    this.schedule();
  }

  /**
   * Adds `cores` of demand from now on that never finishes (fractional: a process busy that share of the
   * time when idle). It slows every computation once the total demand exceeds the cores.
   */
  addBackground(cores: number): void {
    if (!(cores >= 0)) throw new Error(`host background cores must be ≥ 0, got ${cores}`);
    if (cores === 0) return;
    this.advance();
    this.backgroundCores += cores;
    this.schedule();
  }

  /** Sets the other processes' demand from now on (cores, fractional). */
  setForeign(cores: number): void {
    if (!(cores >= 0)) throw new Error(`host foreign cores must be ≥ 0, got ${cores}`);
    this.advance();
    this.foreignCores = cores;
    this.schedule();
  }

  /** Sets every running computation's rate (1 = as if alone) from the demand now. */
  private retime(): void {
    const spread = this.backgroundCores + this.foreignCores;
    if (this.scheduling === 'shared') {
      const demand = this.demandThreads + spread;
      const rate = demand <= this.cores ? 1 : this.cores / demand;
      for (const c of this.running) c.rate = rate;
      return;
    }
    const coreRate = fillLoads(this.placement.threadsOn, spread).map((load) => (load <= 1 ? 1 : 1 / load));
    for (const c of this.running) {
      let rate = 1;
      for (const k of c.cores) rate = Math.min(rate, coreRate[k] as number);
      c.rate = rate;
    }
  }

  /** Accounts the work done since the last change, at the rates that held since then. */
  private advance(): void {
    const now = this.queue.nowSeconds;
    const elapsed = now - this.accountedSeconds;
    this.accountedSeconds = now;
    if (elapsed <= 0 || this.running.length === 0) return;
    for (const c of this.running) c.remainingSeconds -= elapsed * c.rate;
  }

  /** Re-times the running computations and schedules the next finish; any earlier-scheduled one is stale. */
  private schedule(): void {
    const version = ++this.version;
    if (this.running.length === 0) return;
    this.retime();
    let least = Number.POSITIVE_INFINITY;
    for (const c of this.running) least = Math.min(least, Math.max(0, c.remainingSeconds) / c.rate);
    this.queue.after(least, () => {
      if (version === this.version) this.finishDue();
    });
  }

  /** The scheduled finish: the computation(s) due now are done; the rest are re-timed. */
  private finishDue(): void {
    this.advance();
    let least = Number.POSITIVE_INFINITY;
    for (const c of this.running) least = Math.min(least, Math.max(0, c.remainingSeconds) / c.rate);
    const due: Computation[] = [];
    const kept: Computation[] = [];
    // The least is due by construction (the event was timed for it); ties within float drift finish with it.
    const threshold = Math.max(least, DONE_EPSILON_SECONDS);
    for (const c of this.running) (Math.max(0, c.remainingSeconds) / c.rate <= threshold ? due : kept).push(c);
    this.running = kept;
    const now = this.queue.nowSeconds;
    for (const c of due) {
      this.demandThreads -= c.threads;
      this.placement.remove(c);
      this.wallSecondsByTag.set(c.tag, (this.wallSecondsByTag.get(c.tag) ?? 0) + (now - c.startSeconds));
      const added = now - c.startSeconds - c.aloneSeconds;
      if (added > DONE_EPSILON_SECONDS) {
        this.numStretched++;
        this.addedSeconds += added;
      }
    }
    this.placement.balance(this.running);
    this.schedule();
    for (const c of due) c.done();
  }
}

/**
 * Each core's load once `spread` cores of fractional demand (background, foreign) are poured onto the least
 * loaded cores first (its threads go where there is room, as a waking thread does): e.g. threads [1, 0] and
 * 0.5 → [1, 0.5]; [1, 1] and 0.5 → [1.25, 1.25]; [2, 1] and 0.5 → [2, 1.5].
 */
export function fillLoads(threadsOn: readonly number[], spread: number): number[] {
  const loads = [...threadsOn];
  if (!(spread > 0)) return loads;
  const order = loads.map((_, k) => k).sort((a, b) => (loads[a] as number) - (loads[b] as number));
  let left = spread;
  // Raise the lowest i + 1 cores together to the next core's level (or as far as what is left allows).
  for (let i = 0; i < order.length && left > 0; i++) {
    const level = loads[order[i] as number] as number;
    const next = i + 1 < order.length ? (loads[order[i + 1] as number] as number) : Number.POSITIVE_INFINITY;
    const raise = Math.min(next - level, left / (i + 1));
    for (let j = 0; j <= i; j++) loads[order[j] as number] = level + raise;
    left -= raise * (i + 1);
  }
  return loads;
}
