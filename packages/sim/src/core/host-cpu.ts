// The local cluster's workers share this machine's cores (the twin of `oicf cluster up` on 2 cores runs 4
// workers). Processor sharing: a computation has a CPU work of `seconds` (what it takes with the machine to
// itself, as the step-time model priced it) and demands `threads` cores (its onnxruntime intra-op
// threads); while n computations run, each proceeds at rate min(1, cores ÷ Σ threads demanded). Each start
// and each finish re-times the running ones: their remaining work is advanced at the old rate up to now and
// the next finish is scheduled at the new rate (a version number makes the superseded finish event a no-op).
// The kernels run here directly; the services' own main-thread work (router, pool, client, the workers'
// loops: host-cost model) runs here through each process's FIFO (process-cpu.ts), and what processes use
// while idle is a fractional background demand (`addBackground`).
import type { EventQueue } from './event-queue.js';

/** Work left (seconds) below which a computation counts as finished: float drift of re-timing, not work. */
const DONE_EPSILON_SECONDS = 1e-12;

interface Computation {
  remainingSeconds: number;
  readonly threads: number;
  readonly aloneSeconds: number;
  readonly startSeconds: number;
  readonly done: () => void;
}

export class HostCpu {
  private running: Computation[] = [];
  private demandThreads = 0;
  /** Virtual time up to which `running`'s remaining work is accounted. */
  private accountedSeconds = 0;
  private version = 0;
  /** Computations that took longer than alone, and the seconds added, for reports. */
  numStretched = 0;
  addedSeconds = 0;
  /** Alone-seconds of every computation started, by tag (`kernel:prefill`, `process:router`, …). */
  readonly workSecondsByTag = new Map<string, number>();
  /** Cores' worth of demand always present (idle processes' timers, heartbeats, scrapes). */
  private backgroundCores = 0;
  /** Cores other processes of the machine demand now (a measured load replayed; `setForeign`). */
  private foreignCores = 0;

  constructor(
    private readonly queue: EventQueue,
    readonly cores: number,
  ) {
    if (!(cores >= 1)) throw new Error(`host cores must be ≥ 1, got ${cores}`);
  }

  /** Computations running now. */
  get numRunning(): number {
    return this.running.length;
  }

  /**
   * Starts a computation of `seconds` (alone) demanding `threads` cores now; `done` runs when it finishes.
   * `tag` names what it is in `workSecondsByTag` (reports only).
   */
  run(seconds: number, threads: number, done: () => void, tag = 'other'): void {
    if (!(seconds >= 0)) throw new Error(`host computation seconds must be ≥ 0, got ${seconds}`);
    if (!(threads >= 1)) throw new Error(`host computation threads must be ≥ 1, got ${threads}`);
    this.advance();
    this.workSecondsByTag.set(tag, (this.workSecondsByTag.get(tag) ?? 0) + seconds);
    const now = this.queue.nowSeconds;
    this.running.push({ remainingSeconds: seconds, threads, aloneSeconds: seconds, startSeconds: now, done });
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

  /** Rate every running computation proceeds at (1 = as if alone). */
  private rate(): number {
    const demand = this.demandThreads + this.backgroundCores + this.foreignCores;
    return demand <= this.cores ? 1 : this.cores / demand;
  }

  /** Accounts the work done since the last change, at the rate that held since then. */
  private advance(): void {
    const now = this.queue.nowSeconds;
    const elapsed = now - this.accountedSeconds;
    this.accountedSeconds = now;
    if (elapsed <= 0 || this.running.length === 0) return;
    const worked = elapsed * this.rate();
    for (const c of this.running) c.remainingSeconds -= worked;
  }

  /** Schedules the next finish at the current rate; any earlier-scheduled finish becomes stale. */
  private schedule(): void {
    const version = ++this.version;
    if (this.running.length === 0) return;
    let least = Number.POSITIVE_INFINITY;
    for (const c of this.running) least = Math.min(least, c.remainingSeconds);
    this.queue.after(Math.max(0, least) / this.rate(), () => {
      if (version === this.version) this.finishDue();
    });
  }

  /** The scheduled finish: the computation(s) with the least work left are done; the rest are re-timed. */
  private finishDue(): void {
    this.advance();
    let least = Number.POSITIVE_INFINITY;
    for (const c of this.running) least = Math.min(least, c.remainingSeconds);
    const due: Computation[] = [];
    const kept: Computation[] = [];
    // The least is due by construction (the event was timed for it); ties within float drift finish with it.
    const threshold = Math.max(least, DONE_EPSILON_SECONDS);
    for (const c of this.running) (c.remainingSeconds <= threshold ? due : kept).push(c);
    this.running = kept;
    const now = this.queue.nowSeconds;
    for (const c of due) {
      this.demandThreads -= c.threads;
      const added = now - c.startSeconds - c.aloneSeconds;
      if (added > DONE_EPSILON_SECONDS) {
        this.numStretched++;
        this.addedSeconds += added;
      }
    }
    this.schedule();
    for (const c of due) c.done();
  }
}
