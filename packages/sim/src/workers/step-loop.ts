// A worker's engine loop in virtual time: @oicf/engine's Engine, stepped by its two halves. At a step's
// start the engine schedules it (beginStep); the step-time model prices the planned shape; the engine takes
// the result when the real work would be done (completePrefill / completeDecode: at the end, or earlier
// under emulation, where a worker's state moves after its real kernel and it then sleeps to the target's
// time); the step's tokens leave the worker at its end, and the next step starts then. This is the decode
// worker's DecodeLoop (apps/decode-worker/src/decode-loop.ts) with the clock and the kernels replaced.

import type { StepShapeQuery } from '@oicf/core';
import { Engine, type EngineEvents, type FinishReason, type PlannedStep, type Sampler } from '@oicf/engine';
import { StepSpeeds } from '@oicf/worker/speeds';
import type { SimWorkerSpec } from '../cluster/sim-cluster.js';
import type { EventQueue } from '../core/event-queue.js';
import type { SimContext } from '../core/sim-context.js';
import { DecodeGraphs } from '../host-cost/graph-build.js';
import { StepShapes } from './step-shapes.js';
import { priceStep } from './step-times.js';

/** Seconds an idle loop with waiting work sleeps before it looks again (the real loop's 1 ms). */
const IDLE_RETRY_SECONDS = 0.001;
/** The runner's logits are never read: the twin's sampler draws from its own seeded stream. */
const NO_LOGITS = new Float32Array(0);

export interface StepLoopHooks {
  onToken(seqId: string, tokenId: number, index: number): void;
  onFinish(seqId: string, reason: FinishReason, numGenerated: number): void;
  onPreempt?(seqId: string, numDroppedKvTokens: number): void;
  /** After the engine took a step's result (its state moved), with the step's shape. */
  afterCompute?(shape: StepShapeQuery): void;
  /** At the step's end: tokens leave the worker (`stepSeconds` as the cluster saw the step). */
  flush(stepSeconds: number): void;
}

export interface StepLoopCounters {
  numPrefillSteps: number;
  numDecodeSteps: number;
  numPreemptions: number;
  prefillTokens: number;
  decodeTokens: number;
  busySeconds: number;
  /** Seconds its decode steps took (as the worker's step-seconds metric counts them). */
  decodeStepSeconds: number;
}

export class StepLoop {
  readonly engine: Engine;
  /** The heartbeat's prefill line and decode EWMA, fed exactly as a worker's StepRecorder feeds it. */
  readonly speeds = new StepSpeeds();
  readonly counters: StepLoopCounters = {
    numPrefillSteps: 0,
    numDecodeSteps: 0,
    numPreemptions: 0,
    prefillTokens: 0,
    decodeTokens: 0,
    busySeconds: 0,
    decodeStepSeconds: 0,
  };
  private stepping = false;
  private readonly queue: EventQueue;
  /** A decode worker's built graphs, when the host-cost model prices their first builds (round 8). */
  private readonly graphs: DecodeGraphs | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly spec: SimWorkerSpec,
    kvBytesPerToken: number,
    sample: Sampler,
    private readonly hooks: StepLoopHooks,
  ) {
    this.queue = ctx.queue;
    const build = spec.role === 'decode' ? ctx.processes?.cost.decode.graphBuild : undefined;
    this.graphs = build === undefined ? undefined : new DecodeGraphs(build);
    const events: EngineEvents = {
      onToken: (id, t, i) => hooks.onToken(id, t, i),
      onFinish: (id, reason, n) => hooks.onFinish(id, reason, n),
      onPreempt: (id, n) => {
        this.counters.numPreemptions++;
        hooks.onPreempt?.(id, n);
      },
    };
    this.engine = new Engine(
      {
        kvBytesCapacity: spec.kvCapacityBytes,
        kvBytesPerToken,
        maxBatch: spec.maxBatch,
        maxPrefillTokensPerStep: spec.maxPrefillTokensPerStep,
        // A step's plan is read before the next one begins and kept nowhere (plan and shape live until end()).
        reuseStepArrays: true,
      },
      { prefill: async () => NO_LOGITS, decode: async (b) => b.map(() => NO_LOGITS), release: () => {} },
      sample,
      events,
    );
  }

  /** Starts stepping now if idle (new work arrived). */
  wake(): void {
    if (this.stepping || !this.engine.hasWork) return;
    this.stepping = true;
    this.queue.after(0, this.stepNow);
  }

  // The step in flight (one at a time): what completes and ends it. Kept in fields, with the handlers
  // bound once, so a step allocates no closure.
  private plan: PlannedStep = { kind: 'idle' };
  private shape: StepShapeQuery | undefined;
  private startSeconds = 0;
  private stepSeconds = 0;
  private readonly onCompute = () => this.complete();
  private readonly onComputeAndEnd = () => {
    this.complete();
    this.end();
  };
  private readonly onEnd = () => this.end();
  private readonly onIdle = () => {
    this.hooks.flush(0);
    this.step();
  };

  private readonly stepNow = () => this.step();
  /** The step's shape, written into one object per phase (read while the step runs, kept by nothing). */
  private readonly shapes = new StepShapes();

  private step(): void {
    if (!this.engine.hasWork) {
      this.stepping = false;
      return;
    }
    const plan = this.engine.beginStep();
    const shape = this.shapes.of(plan);
    if (shape === undefined) {
      // Nothing to run (work waits for memory or batch room, or what was admitted finished at once, e.g. a
      // remote prefill's first token was its last): the real loop sleeps 1 ms, flushes, and looks again.
      this.queue.after(IDLE_RETRY_SECONDS, this.onIdle);
      return;
    }
    this.plan = plan;
    this.shape = shape;
    this.startSeconds = this.queue.nowSeconds;
    const build =
      this.graphs !== undefined && shape.phase === 'decode' ? this.graphs.buildSeconds(shape.contextTokens) : 0;
    priceStep(this.ctx, this.spec, shape, this.onPriced, build);
  }

  /** The step's times are known (at its start alone, at its kernel's end on a shared host). */
  private readonly onPriced = (compute: number, stepSeconds: number) => {
    const start = this.startSeconds;
    this.stepSeconds = stepSeconds;
    this.counters.busySeconds += stepSeconds;
    if (compute >= stepSeconds) {
      this.queue.at(start + stepSeconds, this.onComputeAndEnd);
    } else {
      this.queue.at(start + compute, this.onCompute);
      this.queue.at(start + stepSeconds, this.onEnd);
    }
  };

  private complete(): void {
    const plan = this.plan;
    if (plan.kind === 'prefill') this.engine.completePrefill(NO_LOGITS);
    else if (plan.kind === 'decode') this.engine.completeDecode(decodeLogits(plan.batch.length));
    if (this.shape !== undefined) this.hooks.afterCompute?.(this.shape);
  }

  /** The step's end: recorded (as the worker's StepRecorder does, paced time), tokens out, next step. */
  private end(): void {
    const plan = this.plan;
    const stepSeconds = this.stepSeconds;
    if (plan.kind === 'prefill') {
      const n = plan.toToken - plan.fromToken;
      this.counters.numPrefillSteps++;
      this.counters.prefillTokens += n;
      this.speeds.record('prefill', n, stepSeconds);
    } else if (plan.kind === 'decode') {
      this.counters.numDecodeSteps++;
      this.counters.decodeStepSeconds += stepSeconds;
      this.counters.decodeTokens += plan.batch.length;
      this.speeds.record('decode', plan.batch.length, stepSeconds);
    }
    this.hooks.flush(stepSeconds);
    // The loop's flush, measured on the worker (host-cost DecodeCost.loopFlush): CPU on its main thread after
    // the step's end (after an emulated step's pacing), before the next step starts. Tokens leave at its start.
    const p = this.ctx.processes;
    const flush = p?.cost.decode.loopFlush;
    if (p === undefined || flush === undefined || plan.kind === 'idle') {
      this.step();
      return;
    }
    const batch = plan.kind === 'decode' ? plan.batch.length : 1;
    p.worker(this.spec.workerId).serve(flush.secondsPerStep + flush.secondsPerSequence * batch, this.stepNow);
  }
}

const logitsByBatch: Float32Array[][] = [];
function decodeLogits(batch: number): Float32Array[] {
  let l = logitsByBatch[batch];
  if (l === undefined) {
    l = new Array<Float32Array>(batch).fill(NO_LOGITS);
    logitsByBatch[batch] = l;
  }
  return l;
}
