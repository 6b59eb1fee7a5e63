// The decode loop between steps, real vs twin (round 6, issue 12). From a real run's worker-metrics.json
// (sim-fidelity-final-metrics.ts): the loop's flush and turn per step by batch, the remote sequences' wait for
// their first step, the main-thread seconds of handoff receipts and KV imports; from the twin's run stats the
// same first-step wait. The flush line is what the fit takes (--fit-host, `withMeasuredLoopFlush`): measured
// on the fitting window's run only.
import {
  type HostCostFile,
  type LoopFlushCost,
  loopFlushCost,
  type SimRunStats,
  saveHostCostFile,
  withLoopFlush,
} from '@oicf/sim';
import { histogramTotals, type WorkerMetricSample } from './sim-fidelity-final-metrics.js';

type ByWorker = Readonly<Record<string, readonly WorkerMetricSample[]>>;
const BATCHES = ['1', '2', '3', '4+'] as const;

/** The line through the decode workers' mean flush of decode steps of batch 1, 2, 3 (loop-flush.ts). */
export function measuredLoopFlush(m: ByWorker): LoopFlushCost | undefined {
  const totals = [1, 2, 3].map((batch) => {
    const t = histogramTotals(m, 'decode', 'oicf_decode_loop_flush_seconds', { phase: 'decode', batch: String(batch) });
    return { batch, count: t.count, sumSeconds: t.sum };
  });
  return loopFlushCost(totals);
}

/** The fit with the measured flush moved out of the step (after the regression, before the decode-step rounds). */
export function withMeasuredLoopFlush(file: HostCostFile, m: ByWorker | undefined, path: string): HostCostFile {
  const flush = m === undefined ? undefined : measuredLoopFlush(m);
  if (flush === undefined) {
    console.log('  loop flush: the fitting run has no measured flush (worker-metrics.json): charged inside the step');
    return file;
  }
  console.log(
    `  loop flush (measured on the fitting run): ${(flush.secondsPerStep * 1e3).toFixed(3)} ms a step + ${(flush.secondsPerSequence * 1e3).toFixed(3)} ms a sequence, after the step`,
  );
  const out = { ...file, cost: { ...file.cost, decode: withLoopFlush(file.cost.decode, flush) } };
  saveHostCostFile(path, out);
  return out;
}

/** Summed measured main-thread seconds of one kind of work over the decode workers. */
export function mainThreadWork(m: ByWorker, work: string): number {
  return Object.entries(m)
    .filter(([k]) => k.startsWith('decode'))
    .flatMap(([, s]) => s)
    .filter((s) => s.name === 'oicf_decode_main_thread_work_seconds_total' && s.labels.work === work)
    .reduce((t, s) => t + s.value, 0);
}

/**
 * The fit with the measured work at a request's finish (keeping its blocks, per finished request of the
 * fitting run) moved out of the regressed per-request work before the gather (host-cost finishSeconds), capped
 * at that per-request work so the CPU total is kept.
 */
export function withMeasuredFinish(
  file: HostCostFile,
  m: ByWorker | undefined,
  numFinished: number,
  path: string,
): HostCostFile {
  const total = m === undefined ? 0 : mainThreadWork(m, 'finished_keep');
  if (!(total > 0) || numFinished <= 0) {
    console.log('  finish work: not measured on the fitting run: all per-request work before the gather');
    return file;
  }
  const finishSeconds = Math.min(total / numFinished, file.cost.decode.secondsPerRequest);
  console.log(
    `  finish work (measured on the fitting run): ${(finishSeconds * 1e3).toFixed(3)} ms a finished request (keeping its blocks), of ${(file.cost.decode.secondsPerRequest * 1e3).toFixed(3)} ms per request`,
  );
  const out = { ...file, cost: { ...file.cost, decode: { ...file.cost.decode, finishSeconds } } };
  saveHostCostFile(path, out);
  return out;
}

const ms = (s: number) => (s * 1e3).toFixed(2);

/** Lines describing the real loop between steps and, when given, the twin's first-step wait. */
export function loopLines(mode: string, m: ByWorker | undefined, stats?: SimRunStats): string[] {
  if (m === undefined) return [`mode ${mode}: no worker-metrics.json (runs before round 6)`];
  const lines: string[] = [];
  for (const phase of ['decode', 'prefill']) {
    const cells = BATCHES.map((batch) => {
      const f = histogramTotals(m, 'decode', 'oicf_decode_loop_flush_seconds', { phase, batch });
      const t = histogramTotals(m, 'decode', 'oicf_decode_loop_turn_seconds', { phase, batch });
      if (f.count === 0) return null;
      return `batch ${batch}: n ${f.count}, flush ${ms(f.sum / f.count)} ms, turn ${ms(t.sum / t.count)} ms`;
    }).filter((c) => c !== null);
    if (cells.length > 0) lines.push(`mode ${mode} real loop after ${phase} steps: ${cells.join('; ')}`);
  }
  const w = histogramTotals(m, 'decode', 'oicf_decode_first_step_wait_seconds');
  const twin = stats?.workers.reduce(
    (t, x) => ({ count: t.count + x.firstStepWait.count, sum: t.sum + x.firstStepWait.sumSeconds }),
    { count: 0, sum: 0 },
  );
  lines.push(
    `mode ${mode} first-step wait after a handoff: real n ${w.count}, mean ${w.count > 0 ? ms(w.sum / w.count) : 'n/a'} ms` +
      (twin === undefined
        ? ''
        : `; twin n ${twin.count}, mean ${twin.count > 0 ? ms(twin.sum / twin.count) : 'n/a'} ms`),
  );
  const work = (name: string) => mainThreadWork(m, name).toFixed(2);
  lines.push(
    `mode ${mode} decode main thread, measured: handoff receipts ${work('handoff_receive')} s, KV imports ${work('kv_import')} s, Decode calls before the gather ${work('decode_call')} s, finished blocks kept ${work('finished_keep')} s`,
  );
  return lines;
}
