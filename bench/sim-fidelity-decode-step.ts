// The fit's step after the handoff (`--fit-host`): the decode loop's CPU per step. The CPU regression
// (fit-host-cost.ts) cannot tell the decode workers' per-step CPU from their per-byte CPU (both grow with the
// traffic), and on the quiet fitting run it put none on the step; the twin's decode loop then turned ~2 ms
// faster per step than the real one (its TPOT p50 −18 % on the fitting window). Here the per-step cost is
// found from per-request timings instead: the twin is run on the fitting window and `decode.secondsPerStep`
// moved (secant, a few rounds) until its decode workers' streaming time per step (decode-loop.ts) is the
// real run's (its records; its workers' step counters). The CPU it adds is taken from the off-path per-byte
// demand, so the total stays the regression's. Only the fitting window is used.

import type { ReplayRun } from '@oicf/report';
import {
  decodeBusySeconds,
  type HostCostFile,
  type HostSample,
  nextStepCost,
  type SimRunStats,
  saveHostCostFile,
  sumCounters,
} from '@oicf/sim';
import { handoffObservations } from './sim-fidelity-host.js';

const DECODE_STEPS = /^oicf_decode_executed_steps_total/;

/** Steps (decode and prefill) the decode workers ran during the sampled run, from their counters. */
export function realDecodeWorkerSteps(samples: readonly HostSample[]): number {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) return 0;
  let n = 0;
  for (const [name, p] of Object.entries(last.processes)) {
    if (!name.startsWith('decode')) continue;
    n += sumCounters(p, DECODE_STEPS) - sumCounters(first.processes[name], DECODE_STEPS);
  }
  return n;
}

export function calibrateDecodeStep(
  file: HostCostFile,
  real: ReplayRun,
  samples: readonly HostSample[],
  kvBytesPerToken: number,
  simulateWith: (file: HostCostFile) => { run: ReplayRun; stats: SimRunStats },
  path: string,
  rounds = 4,
): HostCostFile {
  const realSteps = realDecodeWorkerSteps(samples);
  if (realSteps <= 0) {
    console.log('  decode step: no decode steps counted in the fitting run; per-step cost left as fitted');
    return file;
  }
  const target = decodeBusySeconds(real) / realSteps;
  const handoffBytes = handoffObservations(real, kvBytesPerToken).reduce((s, o) => s + o.handoffBytes, 0);
  const base = file.cost.decode.secondsPerStep;
  const tries: { costSeconds: number; loopSeconds: number }[] = [];
  let out = file;
  for (let i = 0; i < rounds; i++) {
    const { run, stats } = simulateWith(out);
    const steps = stats.workers
      .filter((w) => w.role !== 'prefill')
      .reduce((s, w) => s + w.numDecodeSteps + w.numPrefillSteps, 0);
    const loop = steps > 0 ? decodeBusySeconds(run) / steps : 0;
    tries.push({ costSeconds: out.cost.decode.secondsPerStep, loopSeconds: loop });
    const next = nextStepCost(target, tries);
    // The CPU added beyond the regression's per-step cost, per fitting-run step, comes off the off-path bytes.
    const added = (next - base) * realSteps;
    const h = out.cost.handoff;
    const handoff =
      h === undefined || handoffBytes <= 0
        ? h
        : {
            ...h,
            offPathSecondsPerByte: Math.max(
              0,
              (file.cost.handoff?.offPathSecondsPerByte ?? 0) - Math.max(0, added) / handoffBytes,
            ),
          };
    // The total stays the real run's only while the added CPU fits in the off-path demand: say when not.
    const offPathSeconds = (file.cost.handoff?.offPathSecondsPerByte ?? 0) * handoffBytes;
    if (added < 0 || added > offPathSeconds)
      console.log(
        `  decode step round ${i + 1}: warning: the fitted CPU total moves by ${(added < 0 ? added : added - offPathSeconds).toFixed(2)} s (${added < 0 ? 'a per-step cost below the regression’s is not given back to the off-path bytes' : 'more per-step CPU than the off-path bytes carried'})`,
      );
    console.log(
      `  decode step round ${i + 1}: twin ${(loop * 1e3).toFixed(2)} ms of streaming a step at ${((tries[i]?.costSeconds ?? 0) * 1e3).toFixed(3)} ms of CPU (real ${(target * 1e3).toFixed(2)} ms over ${realSteps} steps) → ${(next * 1e3).toFixed(3)} ms`,
    );
    out = {
      ...out,
      cost: {
        ...out.cost,
        decode: { ...out.cost.decode, secondsPerStep: next },
        ...(handoff === undefined ? {} : { handoff }),
      },
    };
  }
  saveHostCostFile(path, out);
  return out;
}
