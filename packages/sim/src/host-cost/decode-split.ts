// The regressed per-request decode CPU split by where it runs (round 10, issue 12). Window 9b
// (bench/results/sim-fidelity-r9b) and window 10 showed the twin's first gap after a remote prefill far too long
// (mode a: 161 / 168 ms p50 against 56–79 / 47–56 ms real): the CPU regression puts tens of milliseconds a request
// on the decode worker's per-request column (21.9–62 ms), which the twin charges before the request's gather,
// while the worker itself measures ≈ 3 ms a request of Decode-call and finish work on its main thread. This keeps
// the measured part there and moves the rest between steps (the loop's turn), the CPU total unchanged. Round 10's
// first candidate (d789a94, reverted) also priced the decode kernels at their meter's level; this one does not.
/**
 * The regressed per-request decode CPU split by where it runs (round 10). The twin charges `secondsPerRequest`
 * (less `finishSeconds`) on the decode worker's main thread before the request's gather, so all of it delays that
 * request's first decode step. The worker measures what a Decode call itself does on its main thread
 * (oicf_decode_main_thread_work_seconds_total{work="decode_call"}, 0.4 ms a call on window 9b's fitting run) and
 * at its finish ({work="finished_keep"}); the rest of the column is CPU the loop spends between steps (its `turn`
 * part: request-plane I/O, timers), which the twin then charges per loop turn (`loopTurn`), so the CPU total
 * stays the regression's.
 */
export interface DecodeCallSplit {
  /** Per request, on the main thread: the measured Decode call and finish work, at most the regressed column. */
  readonly secondsPerRequest: number;
  /** The rest of the column per loop turn (step) of the fitting run. */
  readonly turnSecondsPerStep: number;
}

export function splitDecodeRequestCpu(o: {
  /** The regression's per-request CPU of a decode worker. */
  readonly secondsPerRequest: number;
  /** Measured main-thread work per request: the Decode call's and the finish's. */
  readonly measuredSecondsPerRequest: number;
  /** Requests the decode workers served over the fitting run, and the loop turns (steps) they ran. */
  readonly numRequests: number;
  readonly numSteps: number;
}): DecodeCallSplit {
  const onPath = Math.min(Math.max(0, o.measuredSecondsPerRequest), o.secondsPerRequest);
  if (!(o.numSteps > 0) || !(o.numRequests > 0))
    return { secondsPerRequest: o.secondsPerRequest, turnSecondsPerStep: 0 };
  return {
    secondsPerRequest: onPath,
    turnSecondsPerStep: ((o.secondsPerRequest - onPath) * o.numRequests) / o.numSteps,
  };
}
