// `--workers N`: N worker threads on this host (node:worker_threads), each running explore-worker.ts. Jobs
// go to whichever worker is idle; results come back in any order and are keyed by job. Stopping terminates
// the workers at once (a twin run in progress is dropped: a partial run is not comparable).
import { Worker } from 'node:worker_threads';
import type { ScreenResult } from '../analytic/screen-types.js';
import type { SimOutcome } from '../sim/sim-outcome.js';
import type { WorkerInit, WorkerJob, WorkerReply } from './worker-protocol.js';

type Pending = {
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
  onProgress?: ((fraction: number) => void) | undefined;
};

export class ExploreWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: WorkerJob[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextJob = 0;
  private closed = false;

  constructor(size: number, init: WorkerInit) {
    const boot = new URL('./worker-boot.mjs', import.meta.url);
    const entry = new URL('./explore-worker.ts', import.meta.url).href;
    for (let i = 0; i < size; i++) {
      const w = new Worker(boot, { workerData: { entry, init } });
      w.on('message', (reply: WorkerReply) => this.settle(w, reply));
      w.on('error', (err) => this.fail(w, err));
      w.on('exit', (code) => {
        if (!this.closed && code !== 0) this.fail(w, new Error(`explore worker exited with code ${code}`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  screen(indices: readonly number[]): Promise<readonly ScreenResult[]> {
    return this.run({ kind: 'screen', jobId: this.nextJob++, indices }).then((r) =>
      r.kind === 'screened' ? r.results : [],
    );
  }

  /** One twin run; `onProgress` hears the fraction of its requests finished while it runs. */
  simulate(index: number, screen: ScreenResult, onProgress?: (fraction: number) => void): Promise<SimOutcome | null> {
    return this.run({ kind: 'simulate', jobId: this.nextJob++, index, screen }, onProgress).then((r) =>
      r.kind === 'simulated' ? r.outcome : null,
    );
  }

  /** Terminates every worker; jobs not yet answered reject. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [, p] of this.pending) p.reject(new Error('explore workers stopped'));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private run(job: WorkerJob, onProgress?: (fraction: number) => void): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('explore workers stopped'));
    return new Promise((resolve, reject) => {
      this.pending.set(job.jobId, { resolve, reject, onProgress });
      this.queue.push(job);
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as Worker;
      const job = this.queue.shift() as WorkerJob;
      this.busy.set(w, job.jobId);
      w.postMessage(job);
    }
  }

  private settle(w: Worker, reply: WorkerReply): void {
    if (reply.kind === 'progress') {
      this.pending.get(reply.jobId)?.onProgress?.(reply.fraction);
      return;
    }
    this.busy.delete(w);
    this.idle.push(w);
    const p = this.pending.get(reply.jobId);
    this.pending.delete(reply.jobId);
    p?.resolve(reply);
    this.dispatch();
  }

  private fail(w: Worker, err: Error): void {
    const jobId = this.busy.get(w);
    if (jobId === undefined) return;
    this.busy.delete(w);
    const p = this.pending.get(jobId);
    this.pending.delete(jobId);
    p?.reject(err);
  }
}
