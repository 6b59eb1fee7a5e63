// The fit's prefill step (round 7c, `--fit-host`; `--no-prefill-meter` leaves it out): the prefill workers'
// service priced from what their loop meter measured on the fitting run itself (host-cost prefill.kernelScale,
// secondsPerStep from the pace part, sendCpu; packages/sim/src/host-cost/prefill-meter.ts), instead of the
// calibrated model's level and the regression's per-step CPU. Runs after the regression and before the handoff's
// rounds (which then leave the send path before the link at 0: the sender's CPU is the measured send part).
import type { ReplayRun } from '@oicf/report';
import {
  type HostCostFile,
  type KernelPricing,
  type PrefillMeterTotals,
  prefillMeterCost,
  saveHostCostFile,
  withPrefillMeter,
} from '@oicf/sim';
import type { WorkerMetricSample } from './sim-fidelity-final-metrics.js';
import { handoffObservations } from './sim-fidelity-host.js';
import { loopPart } from './sim-fidelity-pace.js';

type ByWorker = Readonly<Record<string, readonly WorkerMetricSample[]>>;

/** The meter's totals over the prefill workers, with the calibrated kernel seconds of the same steps. */
export function prefillMeterTotals(
  m: ByWorker,
  kernels: KernelPricing,
  real: ReplayRun,
  kvBytesPerToken: number,
): PrefillMeterTotals {
  const kernel = loopPart(m, 'prefill', 'kernel');
  const pace = loopPart(m, 'prefill', 'pace');
  const send = loopPart(m, 'prefill', 'send');
  let calibratedKernelSeconds = 0;
  for (const name of Object.keys(m)) {
    if (name.startsWith('prefill')) calibratedKernelSeconds += kernels.totalSeconds?.(name) ?? 0;
  }
  return {
    kernelCpuSeconds: kernel.cpuSeconds,
    calibratedKernelSeconds,
    paceCpuSeconds: pace.cpuSeconds,
    steps: kernel.count,
    sendCpuSeconds: send.cpuSeconds,
    sendWallSeconds: send.wallSeconds,
    handoffBytes: handoffObservations(real, kvBytesPerToken).reduce((s, o) => s + o.handoffBytes, 0),
  };
}

export function withMeasuredPrefill(
  file: HostCostFile,
  m: ByWorker | undefined,
  kernels: KernelPricing | undefined,
  real: ReplayRun,
  kvBytesPerToken: number,
  path: string,
  withoutSend = false,
): HostCostFile {
  const totals =
    m === undefined || kernels === undefined ? undefined : prefillMeterTotals(m, kernels, real, kvBytesPerToken);
  const metered = totals === undefined ? undefined : prefillMeterCost(totals, file.handoffFit?.send);
  // --no-send-meter: the kernel and per-step parts only; the send priced as before (the handoff's rounds).
  const cost = metered === undefined || !withoutSend ? metered : { ...metered, sendCpu: undefined };
  if (totals === undefined || cost === undefined) {
    console.log(
      '  prefill meter: the fitting run has no metered prefill steps (worker-metrics.json): priced as regressed',
    );
    return file;
  }
  const ms = (s: number) => `${(s * 1e3).toFixed(2)} ms`;
  console.log(
    `  prefill meter (the fitting run's own): kernel part ${totals.kernelCpuSeconds.toFixed(1)} s of CPU over ${totals.steps} steps where the calibrated model says ${totals.calibratedKernelSeconds.toFixed(1)} s: × ${cost.kernelScale.toFixed(3)}; pace ${ms(cost.secondsPerStep)} a step (the regression had ${ms(file.cost.prefill.secondsPerStep)} a step + ${(file.cost.prefill.secondsPerToken * 1e6).toFixed(1)} µs a token); send part ${totals.sendCpuSeconds.toFixed(1)} s of CPU in ${totals.sendWallSeconds.toFixed(1)} s: ${cost.sendCpu === undefined ? 'none' : `${ms(cost.sendCpu.secondsPerSend)} a send + ${(cost.sendCpu.secondsPerByte * 1e9).toFixed(2)} ns a handoff byte, alongside the link`}${withoutSend ? ' (--no-send-meter: not taken)' : ''}`,
  );
  const handoff = file.cost.handoff;
  const out: HostCostFile = {
    ...file,
    cost: {
      ...file.cost,
      prefill: withPrefillMeter(file.cost.prefill, cost),
      // The sender's CPU is now the measured send part, run alongside the link: none of it before the link.
      ...(handoff === undefined || cost.sendCpu === undefined
        ? {}
        : {
            handoff: {
              ...handoff,
              sendSecondsPerByte: 0,
              offPathSecondsPerByte: handoff.offPathSecondsPerByte + handoff.sendSecondsPerByte,
            },
          }),
    },
  };
  saveHostCostFile(path, out);
  return out;
}
