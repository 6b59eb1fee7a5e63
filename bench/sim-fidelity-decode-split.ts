// The fit's decode split (round 10, `--fit-host`; `--no-decode-split` leaves it out, main's fit): the regressed
// per-request decode CPU split by where it runs (packages/sim/src/host-cost/decode-split.ts), on the fitting run's
// own meter. The kernels stay at the calibrated level (round 10's first candidate, d789a94, also priced them at the
// decode meter's level; reverted after window 10).
import type { ReplayRun } from '@oicf/report';
import { type HostCostFile, saveHostCostFile, splitDecodeRequestCpu } from '@oicf/sim';
import type { WorkerMetricSample } from './sim-fidelity-final-metrics.js';
import { mainThreadWork } from './sim-fidelity-loop.js';
import { loopPart } from './sim-fidelity-pace.js';

type ByWorker = Readonly<Record<string, readonly WorkerMetricSample[]>>;

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
