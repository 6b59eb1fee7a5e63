// The fidelity bench's `--fit-host`: this machine's host-cost model from one real run (the fitting window), in
// order: the CPU regression (sim-fidelity-host.ts), the prefill service from the run's loop meter
// (sim-fidelity-prefill-meter.ts, round 7c), the measured decode graph builds when given (--graph-build-file, round
// 8), the handoff's per-request rounds (sim-fidelity-handoff.ts), the decode loop's measured flush and finish work
// (sim-fidelity-loop.ts, round 6) and pace work (sim-fidelity-pace.ts, round 7), the decode step's rounds
// (sim-fidelity-decode-step.ts). The calibration rounds run the twin with the fitting run's own measured
// foreign load (other processes' CPU, /proc/stat) as background demand, so the lines they match carry the
// contention the run had instead of that contention being absorbed into the workers' CPU (round 6).
import { readFileSync } from 'node:fs';
import type { ReplayRun } from '@oicf/report';
import {
  foreignLoad,
  type GraphBuildCost,
  graphBuildCostIssues,
  type HostCostFile,
  type HostSample,
  type KernelPricing,
  type SimCluster,
  type SimRunStats,
  saveHostCostFile,
  simulate,
} from '@oicf/sim';
import type { TraceRequest } from '@oicf/traces';
import { calibrateDecodeStep } from './sim-fidelity-decode-step.js';
import type { WorkerMetricSample } from './sim-fidelity-final-metrics.js';
import { calibrateHandoff } from './sim-fidelity-handoff.js';
import { fitAndSave } from './sim-fidelity-host.js';
import { withMeasuredFinish, withMeasuredLoopFlush } from './sim-fidelity-loop.js';
import { withMeasuredLoopPace } from './sim-fidelity-pace.js';
import { withMeasuredPrefill } from './sim-fidelity-prefill-meter.js';

export interface FitOptions {
  readonly real: ReplayRun;
  readonly samples: readonly HostSample[];
  readonly workerMetrics: Record<string, WorkerMetricSample[]> | undefined;
  readonly path: string;
  readonly source: string;
  readonly kernels: KernelPricing | undefined;
  readonly groupSeconds: number;
  readonly kvBytesPerToken: number;
  /** The twin of the fitting window with a given host-cost model. */
  readonly designWith: (hc: HostCostFile) => SimCluster;
  readonly workload: { requests: readonly TraceRequest[]; loop: 'open' | 'closed'; speed: number; seed: number };
  /** Leave the fitting run's foreign load out of the rounds (as before round 6). */
  readonly withoutForeign: boolean;
  /** Leave the measured loop flush and finish work out (as before round 6). */
  readonly withoutLoopMeasures: boolean;
  /** Leave the measured pace work out (the default since window 7b: --loop-pace takes it). */
  readonly withoutLoopPace?: boolean;
  /** Price the prefill service as before round 7c (calibrated level, regressed per-step CPU): --no-prefill-meter. */
  readonly withoutPrefillMeter?: boolean;
  /** The meter's kernel and per-step parts only, the send priced as before round 7c (the default since window 7c's rule S). */
  readonly withoutSendMeter?: boolean;
  /** The measured decode graph builds to charge (round 8, --graph-build-file), before the calibration rounds. */
  readonly graphBuild?: GraphBuildCost;
}

export function fitHostModel(o: FitOptions): HostCostFile {
  const bpt = o.kvBytesPerToken;
  let hc = fitAndSave(o.samples, o.path, o.source, o.kernels, o.groupSeconds, o.real, bpt);
  if (o.withoutPrefillMeter !== true)
    hc = withMeasuredPrefill(hc, o.workerMetrics, o.kernels, o.real, bpt, o.path, o.withoutSendMeter === true);
  const fitForeign = o.withoutForeign ? [] : foreignLoad(o.samples);
  if (fitForeign.length > 0) {
    const mean = fitForeign.reduce((t, p) => t + p.cores, 0) / fitForeign.length;
    console.log(
      `  fit: the fitting run's other processes (mean ${mean.toFixed(2)} cores) replayed in the calibration rounds`,
    );
  }
  const twinOf = (file: HostCostFile): { run: ReplayRun; stats: SimRunStats } => {
    const d = o.designWith(file);
    const design =
      fitForeign.length === 0 || d.host === undefined ? d : { ...d, host: { ...d.host, foreignLoad: fitForeign } };
    return simulate(design, o.workload);
  };
  if (o.graphBuild !== undefined) {
    // Measured (bench/sim-fidelity-graph-build.ts), not fitted: in before the rounds, so they match with it.
    hc = { ...hc, cost: { ...hc.cost, decode: { ...hc.cost.decode, graphBuild: o.graphBuild } } };
    saveHostCostFile(o.path, hc);
    const g = o.graphBuild;
    console.log(
      `  graph build (measured): ${(g.secondsPerGraph * 1e3).toFixed(1)} ms + ${(g.secondsPerSequence * 1e3).toFixed(1)} ms a sequence per decode graph, first use`,
    );
  }
  hc = calibrateHandoff(hc, bpt, (file) => twinOf(file).run, o.path);
  if (!o.withoutLoopMeasures) {
    hc = withMeasuredLoopFlush(hc, o.workerMetrics, o.path);
    const numFinished = o.real.records.filter((r) => r.status === 'ok').length;
    hc = withMeasuredFinish(hc, o.workerMetrics, numFinished, o.path);
    if (o.withoutLoopPace !== true) hc = withMeasuredLoopPace(hc, o.workerMetrics, o.path);
  }
  return calibrateDecodeStep(hc, o.real, o.samples, bpt, twinOf, o.path);
}

/**
 * The measured decode graph builds for --graph-build-file (bench/sim-fidelity-graph-build.ts's file: its `graphBuild`),
 * checked before any real run; a bad file is refused naming the field.
 */
export function readGraphBuild(path: string): GraphBuildCost {
  let parsed: { graphBuild?: unknown };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  const g = parsed?.graphBuild;
  if (g === undefined) throw new Error(`${path}: no graphBuild (write it with bench/sim-fidelity-graph-build.ts)`);
  const issues = graphBuildCostIssues(g);
  if (issues.length > 0) throw new Error(`${path}: graphBuild.${issues.join(`; graphBuild.`)}`);
  return g as GraphBuildCost;
}
