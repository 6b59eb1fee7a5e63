// How long a worker's step takes, and when its result is in. A worker under emulation runs the real kernel
// (`computeTime`) and then sleeps to the target's predicted time (`stepTime`); a worker without emulation
// just runs its kernel (`stepTime` is then the kernel's time). On the local cluster the kernels share the
// machine's cores (HostCpu: per core, or processor sharing): the kernel's time is known only when it is done, since
// later steps on the host slow it. The target's pacing is not CPU work and does not share; on target
// hardware (no host) each worker computes alone and the times are known at the start. With a host-cost
// model, the worker's own CPU per step (fitted beyond the calibrated kernel: its JavaScript in the runner
// call, KV inputs and outputs) is part of the step's computation, as it is part of the step's measured time
// on the cluster (what the worker's speeds record and what an emulating worker's pacer measures). With a
// measured pace cost (host-cost loopPace, round 7) a decode step's classification and recording follow its
// kernel outside the pacing, as in the worker's loop. With a measured graph-build cost (host-cost graphBuild,
// round 8) the first decode step of a graph the worker has not built builds it on the main thread first.

import type { StepShapeQuery } from '@oicf/core';
import type { SimWorkerSpec } from '../cluster/sim-cluster.js';
import type { SimContext } from '../core/sim-context.js';

/**
 * Both from the step's start. `computeSeconds`: when its result is in (engine state moves); `stepSeconds`:
 * when it ends as the cluster sees it (its tokens leave, the next step starts).
 */
export type StepPriced = (computeSeconds: number, stepSeconds: number) => void;

/**
 * Prices a step of `shape` starting now and calls `priced` as soon as its times are known: at once when the
 * worker computes alone (no shared host), else when its kernel is done on the host. The caller schedules
 * what follows at start + those seconds (never before now: the event queue runs a past time now).
 */
export function priceStep(
  ctx: SimContext,
  spec: SimWorkerSpec,
  shape: StepShapeQuery,
  priced: StepPriced,
  /** CPU to build the step's graph first (host-cost decode.graphBuild; 0 when built), on the main thread. */
  buildSeconds = 0,
): void {
  const target = spec.stepTime.stepSeconds(shape);
  const unscaled = spec.computeTime === undefined ? target : spec.computeTime.stepSeconds(shape);
  // A prefill kernel at the level the fitting run's workers measured (host-cost prefill.kernelScale, round 7c).
  const scale = spec.role === 'prefill' ? ctx.processes?.cost.prefill.kernelScale : undefined;
  const kernel = scale === undefined ? unscaled : unscaled * scale;
  const cpu = ctx.hostCpu;
  if (cpu === undefined) {
    // The pacer sleeps max(0, target − measured): a step never ends before its real work.
    priced(kernel, spec.computeTime === undefined ? kernel : Math.max(target, kernel));
    return;
  }
  const queue = ctx.queue;
  const start = queue.nowSeconds;
  const threads = spec.hostThreads ?? ctx.cluster.host?.threadsPerStep ?? 1;
  const tag = spec.role === 'prefill' ? 'kernel:prefill' : 'kernel:decode';
  const done = () => {
    const compute = queue.nowSeconds - start;
    priced(compute, spec.computeTime === undefined ? compute : Math.max(target, compute));
  };
  const p = ctx.processes;
  if (p === undefined) {
    cpu.run(kernel, threads, done, tag, spec.workerId);
    return;
  }
  // On the worker's main thread (onnxruntime runs there): after what it is busy with (KV imports), its own
  // CPU beyond the kernel charged apart from the kernel's.
  const main = p.worker(spec.workerId);
  // A graph the worker has not built yet: built and its session created before the kernel (round 8).
  if (buildSeconds > 0) main.serve(buildSeconds, noop, 1, 'graph-build');
  main.serve(kernel, noop, threads, tag);
  const pace = spec.role === 'decode' ? p.cost.decode.loopPace : undefined;
  if (pace === undefined) {
    main.serve(workerStepCost(ctx, spec, shape), done);
    return;
  }
  // The decode loop's measured work after the kernel (classifying and recording the step, host-cost loopPace):
  // on the main thread right after it; the pacer's sleep (target − the kernel's time) does not count it, so
  // the step ends at max(target, compute) + its time. The engine's state moves when it is done (the real loop
  // moves it at the kernel's end, and nothing else runs on that thread in between).
  main.serve(workerStepCost(ctx, spec, shape), () => {
    const compute = queue.nowSeconds - start;
    main.serve(pace.secondsPerStep, () => {
      const paceSeconds = queue.nowSeconds - start - compute;
      const sleep = spec.computeTime === undefined ? 0 : Math.max(0, target - compute);
      priced(compute, compute + paceSeconds + sleep);
    });
  });
}

/** The host-cost model's worker CPU for one step of `shape` (0 without a model): per step, per token or sequence. */
export function workerStepCost(ctx: SimContext, spec: SimWorkerSpec, shape: StepShapeQuery): number {
  const p = ctx.processes;
  if (p === undefined) return 0;
  if (spec.role === 'prefill') {
    const c = p.cost.prefill;
    return c.secondsPerStep + (shape.phase === 'prefill' ? c.secondsPerToken * shape.numNewTokens : 0);
  }
  const c = p.cost.decode;
  return c.secondsPerStep + (shape.phase === 'decode' ? c.secondsPerSequenceStep * shape.contextTokens.length : 0);
}

function noop(): void {}
