// The decode loop's time per step, as a replay's records show it: each decode worker streams tokens while
// at least one of its sequences is between its first token and its last; that busy time (the union of those
// intervals, at the client) divided by the steps its workers ran (their step counters) is the time one turn
// of the loop takes: the step itself plus what the worker's main thread does between steps (flushing the
// tokens, the event loop's turn). The fit (bench/sim-fidelity-decode-step.ts) gives the twin's decode step
// the CPU that makes its loop as long per step as the real one on the fitting window: the CPU regression
// (fit-host-cost.ts) cannot tell per-step from per-byte decode CPU, both grow with the traffic.
import type { ReplayRun } from '@oicf/report';

/** Seconds during which each decode worker had a sequence streaming, summed over the workers. */
export function decodeBusySeconds(run: Pick<ReplayRun, 'records'>): number {
  const byWorker = new Map<string, [number, number][]>();
  for (const r of run.records) {
    const w = r.routing?.decodeWorkerId;
    if (r.status !== 'ok' || w == null || r.sentSeconds === null) continue;
    if (r.ttftSeconds === null || r.e2eSeconds === null) continue;
    const spans = byWorker.get(w) ?? [];
    spans.push([r.sentSeconds + r.ttftSeconds, r.sentSeconds + r.e2eSeconds]);
    byWorker.set(w, spans);
  }
  let total = 0;
  for (const spans of byWorker.values()) total += unionSeconds(spans);
  return total;
}

/** Length of the union of [start, end] intervals. */
export function unionSeconds(spans: readonly (readonly [number, number])[]): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start = Number.NaN;
  let end = Number.NaN;
  for (const [s, e] of sorted) {
    if (Number.isNaN(start) || s > end) {
      if (!Number.isNaN(start)) total += end - start;
      start = s;
      end = e;
    } else if (e > end) {
      end = e;
    }
  }
  return Number.isNaN(start) ? total : total + end - start;
}

/**
 * The next per-step cost to try (secant on loop seconds per step as a function of the cost): from the last
 * two tries when they differ, else assuming one second of cost adds one second of loop. Never below 0.
 */
export function nextStepCost(
  targetLoopSeconds: number,
  tries: readonly { readonly costSeconds: number; readonly loopSeconds: number }[],
): number {
  const last = tries[tries.length - 1];
  if (last === undefined) return 0;
  const prev = tries[tries.length - 2];
  let slope = 1;
  if (prev !== undefined && last.costSeconds !== prev.costSeconds) {
    const s = (last.loopSeconds - prev.loopSeconds) / (last.costSeconds - prev.costSeconds);
    if (s > 0) slope = s;
  }
  return Math.max(0, last.costSeconds + (targetLoopSeconds - last.loopSeconds) / slope);
}
