// The fit's last step (`--fit-host`, round 11): what an emulating decode worker's loop spends outside the step its
// pacer measured (packages/sim/src/host-cost/paced-loop.ts says why and how the twin charges it). Both parts are
// read from the workers' own meters, not regressed from latencies:
//   - outsideStepSeconds, on the fitting run only: the real loop per step (its records' streaming time ÷ its workers'
//     steps, as the decode-step search measures it) less the step its workers recorded, against the same for the
//     twin of that window at the fitted cost;
//   - emulationSeconds, from recorded windows with real runs of both modes (`--paced-loop-runs`: a window's
//     judged/sim-fidelity folders, never the window being judged): the loop meter's wall outside the recorded steps
//     per iteration, mode b less mode a, over mode b's slept steps.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplayRun } from '@oicf/report';
import {
  decodeBusySeconds,
  emulationLoopSeconds,
  type HostCostFile,
  type HostSample,
  type LoopTotals,
  type LoopWindow,
  outsideStepSeconds,
  type SimRunStats,
  saveHostCostFile,
  withPacedLoop,
} from '@oicf/sim';
import { realDecodeWorkerSteps } from './sim-fidelity-decode-step.js';
import { histogramTotals, type WorkerMetricSample } from './sim-fidelity-final-metrics.js';
import { loopPart } from './sim-fidelity-pace.js';

type ByWorker = Readonly<Record<string, readonly WorkerMetricSample[]>>;

const LOOP_PARTS = ['turn', 'step', 'step_after_wait', 'pace', 'flush'] as const;
/** The parts outside the pacer's step. */
const OUTSIDE_PARTS = ['turn', 'pace', 'flush'] as const;

function counterSum(m: ByWorker, name: string): number {
  let t = 0;
  for (const [worker, samples] of Object.entries(m)) {
    if (!worker.startsWith('decode')) continue;
    for (const s of samples) if (s.name === name) t += s.value;
  }
  return t;
}

/** One real run's decode loop totals from its workers' meters (worker-metrics.json). */
export function loopTotals(m: ByWorker): LoopTotals {
  return {
    numIterations: loopPart(m, 'decode', 'flush').count,
    loopWallSeconds: LOOP_PARTS.reduce((t, p) => t + loopPart(m, 'decode', p).wallSeconds, 0),
    stepSeconds: histogramTotals(m, 'decode', 'oicf_decode_step_seconds').sum,
    loopCpuSeconds: OUTSIDE_PARTS.reduce((t, p) => t + loopPart(m, 'decode', p).cpuSeconds, 0),
    numSleptSteps: Math.max(
      0,
      counterSum(m, 'oicf_decode_emulation_paced_steps_total') -
        counterSum(m, 'oicf_decode_emulation_underrun_steps_total'),
    ),
  };
}

/** A recorded window's real runs (`<dir>/a-real-*`, `<dir>/b-real-*`, each with worker-metrics.json). */
export function readLoopWindow(dir: string): LoopWindow {
  const runs = (mode: string) =>
    readdirSync(dir)
      .filter((d) => d.startsWith(`${mode}-real-`) && existsSync(join(dir, d, 'worker-metrics.json')))
      .sort()
      .map((d) => loopTotals(JSON.parse(readFileSync(join(dir, d, 'worker-metrics.json'), 'utf8')) as ByWorker));
  return { unpaced: runs('a'), paced: runs('b') };
}

/**
 * The fit with the paced loop's two measured parts (after the decode-step rounds): `twin` is the twin of the fitting
 * window at the fitted cost.
 */
export function withMeasuredPacedLoop(
  file: HostCostFile,
  o: {
    readonly real: ReplayRun;
    readonly samples: readonly HostSample[];
    readonly workerMetrics: ByWorker | undefined;
    readonly twin: { run: ReplayRun; stats: SimRunStats };
    readonly windowDirs: readonly string[];
    readonly path: string;
  },
): HostCostFile {
  const realSteps = realDecodeWorkerSteps(o.samples);
  const recorded =
    o.workerMetrics === undefined ? undefined : histogramTotals(o.workerMetrics, 'decode', 'oicf_decode_step_seconds');
  const workers = o.twin.stats.workers.filter((w) => w.role !== 'prefill');
  const twinSteps = workers.reduce((t, w) => t + w.numDecodeSteps + w.numPrefillSteps, 0);
  if (!(realSteps > 0) || recorded === undefined || !(recorded.count > 0) || !(twinSteps > 0)) {
    console.log('  paced loop: the fitting run has no decode steps or no worker meters: not charged');
    return file;
  }
  const real = {
    loopSecondsPerStep: decodeBusySeconds(o.real) / realSteps,
    stepSecondsPerStep: recorded.sum / recorded.count,
  };
  const twinStepSeconds = workers.reduce((t, w) => t + w.busyFraction * o.twin.run.durationSeconds, 0);
  const twin = {
    loopSecondsPerStep: decodeBusySeconds(o.twin.run) / twinSteps,
    stepSecondsPerStep: twinStepSeconds / twinSteps,
  };
  const outside = outsideStepSeconds(real, twin);
  const windows = o.windowDirs.map(readLoopWindow);
  const emulation = emulationLoopSeconds(windows);
  const emulationCpu = emulationLoopSeconds(windows, true);
  const ms = (s: number) => (s * 1e3).toFixed(2);
  console.log(
    `  paced loop, outside the step (the fitting run): real loop ${ms(real.loopSecondsPerStep)} ms a step, its recorded step ${ms(real.stepSecondsPerStep)}; twin ${ms(twin.loopSecondsPerStep)} / ${ms(twin.stepSecondsPerStep)}: ${ms(outside)} ms`,
  );
  console.log(
    `  paced loop, emulation (${windows.length} recorded windows: ${o.windowDirs.join(', ')}): ${Number.isNaN(emulation) ? 'no window with both modes: 0' : `${ms(emulation)} ms a slept step, of which CPU ${ms(emulationCpu)} ms`}`,
  );
  const out = {
    ...file,
    cost: {
      ...file.cost,
      decode: withPacedLoop(file.cost.decode, {
        outsideStepSeconds: outside,
        emulationSeconds: Number.isNaN(emulation) ? 0 : emulation,
        emulationCpuSeconds: Number.isNaN(emulationCpu) ? 0 : emulationCpu,
      }),
    },
  };
  saveHostCostFile(o.path, out);
  return out;
}
