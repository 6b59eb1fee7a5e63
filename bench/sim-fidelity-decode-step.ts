// The fit's step after the handoff (`--fit-host`): the decode loop's CPU per step. The CPU regression
// (fit-host-cost.ts) cannot tell the decode workers' per-step CPU from their per-byte CPU (both grow with the
// traffic), and on the quiet fitting run it put none on the step; the twin's decode loop then turned ~2 ms
// faster per step than the real one (its TPOT p50 −18 % on the fitting window). Here the per-step cost is
// found from per-request timings instead: the twin is run on the fitting window and `decode.secondsPerStep`
// moved until its decode workers' streaming time per step (decode-loop.ts) is the
// real run's (its records; its workers' step counters). Since round 7c the search runs every candidate and keeps
// the best one run (packages/sim/src/host-cost/step-search.ts: outward steps until bracketed, then halving), where
// a secant's last step was kept untested before (window 7b: 2.17 → 1.10 ms). The CPU it adds is taken from the off-path per-byte
// demand, so the total stays the regression's. Only the fitting window is used.

import type { ReplayRun } from '@oicf/report';
import {
  bestTry,
  decodeBusySeconds,
  type HostCostFile,
  type HostSample,
  nextBracketedCost,
  type SimRunStats,
  type StepTry,
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
  rounds = 8,
): HostCostFile {
  const realSteps = realDecodeWorkerSteps(samples);
  if (realSteps <= 0) {
    console.log('  decode step: no decode steps counted in the fitting run; per-step cost left as fitted');
    return file;
  }
  const target = decodeBusySeconds(real) / realSteps;
  const handoffBytes = handoffObservations(real, kvBytesPerToken).reduce((s, o) => s + o.handoffBytes, 0);
  const base = file.cost.decode.secondsPerStep;
  const offPathSeconds = (file.cost.handoff?.offPathSecondsPerByte ?? 0) * handoffBytes;
  /** The file at a per-step cost: the CPU added beyond the regression's, per fitting-run step, off the off-path bytes. */
  const at = (cost: number): HostCostFile => {
    const added = (cost - base) * realSteps;
    const h = file.cost.handoff;
    const handoff =
      h === undefined || handoffBytes <= 0
        ? h
        : { ...h, offPathSecondsPerByte: Math.max(0, h.offPathSecondsPerByte - Math.max(0, added) / handoffBytes) };
    return {
      ...file,
      cost: {
        ...file.cost,
        decode: { ...file.cost.decode, secondsPerStep: cost },
        ...(handoff === undefined ? {} : { handoff }),
      },
    };
  };
  const loopAt = (cost: number): number => {
    const { run, stats } = simulateWith(at(cost));
    const steps = stats.workers
      .filter((w) => w.role !== 'prefill')
      .reduce((s, w) => s + w.numDecodeSteps + w.numPrefillSteps, 0);
    return steps > 0 ? decodeBusySeconds(run) / steps : 0;
  };
  // Every candidate is run and the best one run is kept (round 7c: a secant's last step was kept untested before).
  const tries: StepTry[] = [];
  let cost: number | undefined = base;
  for (let i = 0; i < rounds && cost !== undefined; i++) {
    const loop = loopAt(cost);
    tries.push({ costSeconds: cost, loopSeconds: loop });
    console.log(
      `  decode step round ${i + 1}: twin ${(loop * 1e3).toFixed(2)} ms of streaming a step at ${(cost * 1e3).toFixed(3)} ms of CPU (real ${(target * 1e3).toFixed(2)} ms over ${realSteps} steps)`,
    );
    cost = nextBracketedCost(target, tries, SEARCH);
  }
  const best = bestTry(target, tries) as StepTry;
  const added = (best.costSeconds - base) * realSteps;
  // The total stays the real run's only while the added CPU fits in the off-path demand: say when not.
  if (added < 0 || added > offPathSeconds)
    console.log(
      `  decode step: warning: the fitted CPU total moves by ${(added < 0 ? added : added - offPathSeconds).toFixed(2)} s (${added < 0 ? 'a per-step cost below the regression’s is not given back to the off-path bytes' : 'more per-step CPU than the off-path bytes carried'})`,
    );
  console.log(
    `  decode step: kept ${(best.costSeconds * 1e3).toFixed(3)} ms (tried, twin ${(best.loopSeconds * 1e3).toFixed(2)} ms a step against real ${(target * 1e3).toFixed(2)}; ${tries.length} tries${cost === undefined ? ', converged' : ', rounds spent'})`,
  );
  const out = at(best.costSeconds);
  saveHostCostFile(path, out);
  return out;
}

/** The search's first outward step and its stopping width (seconds of per-step CPU). */
const SEARCH = { minStepSeconds: 0.0005, toleranceSeconds: 0.00005 };
