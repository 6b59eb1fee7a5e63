// The fit's decode-kernel step (round 10, `--fit-host`; `--no-decode-meter` leaves it out): the decode workers'
// kernels priced at the level their loop meter measured on the fitting run itself (host-cost decode.kernelScale;
// packages/sim/src/host-cost/decode-meter.ts). Runs before the regression, which then subtracts the kernels at that
// level from the decode workers' CPU, so the measured kernel CPU no longer lands on the per-request column; then the
// per-request column split by where it runs (withMeasuredDecodeCall).
import type { ReplayRun } from '@oicf/report';
import {
  type DecodeMeterTotals,
  decodeKernelScale,
  type HostCostFile,
  type KernelPricing,
  saveHostCostFile,
  splitDecodeRequestCpu,
  withDecodeKernelScale,
} from '@oicf/sim';
import type { WorkerMetricSample } from './sim-fidelity-final-metrics.js';
import { mainThreadWork } from './sim-fidelity-loop.js';
import { loopPart } from './sim-fidelity-pace.js';

type ByWorker = Readonly<Record<string, readonly WorkerMetricSample[]>>;

const isDecodeWorker = (name: string) => name.startsWith('decode');

/** The meter's step parts over the decode workers, with the calibrated kernel seconds of the same steps. */
export function decodeMeterTotals(m: ByWorker, kernels: KernelPricing): DecodeMeterTotals {
  const step = loopPart(m, 'decode', 'step');
  const afterWait = loopPart(m, 'decode', 'step_after_wait');
  let calibratedKernelSeconds = 0;
  for (const name of Object.keys(m)) {
    if (isDecodeWorker(name)) calibratedKernelSeconds += kernels.totalSeconds?.(name) ?? 0;
  }
  return {
    stepCpuSeconds: step.cpuSeconds + afterWait.cpuSeconds,
    calibratedKernelSeconds,
    steps: step.count + afterWait.count,
  };
}

/**
 * The kernel pricing the regression subtracts, with the decode workers' at the meter's level, and that level;
 * the pricing unchanged (scale undefined) when the run has no meter or no exact kernel totals.
 */
export function withMeasuredDecodeKernels(
  m: ByWorker | undefined,
  kernels: KernelPricing | undefined,
): { kernels: KernelPricing | undefined; scale: number | undefined } {
  if (m === undefined || kernels === undefined || kernels.totalSeconds === undefined) {
    console.log('  decode meter: no meter or no exact kernel totals in the fitting run; the calibrated level kept');
    return { kernels, scale: undefined };
  }
  const totals = decodeMeterTotals(m, kernels);
  const scale = decodeKernelScale(totals);
  if (scale === undefined) {
    console.log('  decode meter: no metered decode step in the fitting run; the calibrated level kept');
    return { kernels, scale: undefined };
  }
  console.log(
    `  decode meter (the fitting run's own): step parts ${totals.stepCpuSeconds.toFixed(1)} s of CPU over ${totals.steps} steps (${((totals.stepCpuSeconds / totals.steps) * 1e3).toFixed(2)} ms a step) where the calibrated model says ${totals.calibratedKernelSeconds.toFixed(1)} s: × ${scale.toFixed(3)}`,
  );
  return { kernels: withDecodeKernelScale(kernels, scale, isDecodeWorker), scale };
}

/**
 * The fit with the regressed per-request decode CPU split by where it runs (splitDecodeRequestCpu): on the main
 * thread before the gather only the Decode call's and the finish's measured work; the rest per loop turn of the
 * fitting run (host-cost loopTurn). After the regression, before the handoff's rounds (which then run with it).
 */
export function withMeasuredDecodeCall(
  file: HostCostFile,
  m: ByWorker | undefined,
  real: ReplayRun,
  path: string,
): HostCostFile {
  const numRequests = real.records.filter((r) => r.status === 'ok' && r.routing?.decodeWorkerId != null).length;
  const numSteps = m === undefined ? 0 : loopPart(m, 'decode', 'turn').count;
  const measured = m === undefined ? 0 : mainThreadWork(m, 'decode_call') + mainThreadWork(m, 'finished_keep');
  if (!(measured > 0) || numRequests === 0 || numSteps === 0) {
    console.log('  decode call: not measured on the fitting run; the regressed per-request CPU kept before the gather');
    return file;
  }
  const d = file.cost.decode;
  const split = splitDecodeRequestCpu({
    secondsPerRequest: d.secondsPerRequest,
    measuredSecondsPerRequest: measured / numRequests,
    numRequests,
    numSteps,
  });
  console.log(
    `  decode call (measured on the fitting run): ${((measured / numRequests) * 1e3).toFixed(3)} ms a request of call and finish work on the path, of ${(d.secondsPerRequest * 1e3).toFixed(3)} ms regressed; the rest ${(split.turnSecondsPerStep * 1e3).toFixed(3)} ms a loop turn (${numSteps} turns)`,
  );
  const out = {
    ...file,
    cost: {
      ...file.cost,
      decode: {
        ...d,
        secondsPerRequest: split.secondsPerRequest,
        loopTurn: { secondsPerStep: split.turnSecondsPerStep },
      },
    },
  };
  saveHostCostFile(path, out);
  return out;
}
