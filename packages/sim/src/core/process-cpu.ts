// One service process's main thread (its JavaScript event loop) on the shared host: work items run one at a
// time in the order they came (a FIFO server), each a computation of its CPU seconds on the HostCpu, so it
// shares the cores with the kernels and the other processes as the host shares them (per core by default,
// host-cpu.ts; its thread goes back to the core it last ran on among equals). The host-cost model
// (host-cost/host-cost.ts) says how many seconds each item is; the twin's decision code is unchanged, this
// only adds time: routing waits for the router's per-request work, a step's end for its decode loop's work.
import type { HostCpu } from './host-cpu.js';

interface Item {
  readonly seconds: number;
  readonly done: () => void;
  readonly threads: number;
  readonly tag: string | undefined;
}

export class ProcessCpu {
  private readonly waiting: Item[] = [];
  private busy = false;
  /** CPU seconds of this process's own work served so far (alone-time, before sharing; tagged work apart). */
  chargedSeconds = 0;

  constructor(
    private readonly host: HostCpu,
    readonly name: string,
    /** What `HostCpu.workSecondsByTag` counts its work under. */
    private readonly tag: string = `process:${name}`,
  ) {}

  /**
   * Runs `seconds` of this process's work after what is queued before it, then `done`. Zero-second work
   * on an idle process completes at once (synchronously); behind other work it keeps its place in line.
   * `threads`: cores it demands (a worker's kernel step: its onnxruntime threads); `tag`: what the host
   * counts it as (default this process's tag).
   */
  serve(seconds: number, done: () => void, threads = 1, tag?: string): void {
    if (!(seconds >= 0)) throw new Error(`${this.name}: work seconds must be ≥ 0, got ${seconds}`);
    this.waiting.push({ seconds, done, threads, tag });
    if (!this.busy) this.next();
  }

  /** Work that nothing waits for (it only takes the core and delays what queues behind it). */
  charge(seconds: number): void {
    if (seconds > 0) this.serve(seconds, noop);
  }

  private next(): void {
    this.busy = true;
    for (;;) {
      const item = this.waiting.shift();
      if (item === undefined) {
        this.busy = false;
        return;
      }
      if (item.seconds <= 0) {
        item.done();
        continue;
      }
      if (item.tag === undefined) this.chargedSeconds += item.seconds;
      this.host.run(
        item.seconds,
        item.threads,
        () => {
          item.done();
          this.next();
        },
        item.tag ?? this.tag,
        this.name,
      );
      return;
    }
  }
}

function noop(): void {}
