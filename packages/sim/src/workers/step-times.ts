// How long a worker's step takes, and when its result is in. A worker under emulation runs the real kernel
// (`computeTime`) and then sleeps to the target's predicted time (`stepTime`); a worker without emulation
// just runs its kernel (`stepTime` is then the kernel's time). On the local cluster the kernels share the
// machine's cores (HostCpu); on target hardware each worker computes alone.

import type { StepShapeQuery } from '@oicf/core';
import type { SimWorkerSpec } from '../cluster/sim-cluster.js';
import type { SimContext } from '../core/sim-context.js';

export interface StepTimes {
  /** When the step's result is in (engine state moves), from its start. */
  readonly computeSeconds: number;
  /** When the step ends as the cluster sees it (its tokens leave, the next step starts). */
  readonly stepSeconds: number;
}

export function stepTimes(ctx: SimContext, spec: SimWorkerSpec, shape: StepShapeQuery): StepTimes {
  const cpu = ctx.hostCpu;
  const now = ctx.queue.nowSeconds;
  const target = spec.stepTime.stepSeconds(shape);
  if (spec.computeTime !== undefined) {
    const alone = spec.computeTime.stepSeconds(shape);
    const compute = cpu === undefined ? alone : cpu.run(now, alone);
    // The pacer sleeps max(0, target − measured): a step never ends before its real work.
    return { computeSeconds: compute, stepSeconds: Math.max(target, compute) };
  }
  const step = cpu === undefined ? target : cpu.run(now, target);
  return { computeSeconds: step, stepSeconds: step };
}
