// The decode loop's work after each step's kernel, measured on the real workers (round 7, issue 12): process CPU
// by part of the loop (oicf_decode_loop_cpu_seconds_total{part,kind}, oicf_decode_loop_part_steps_total{part};
// packages/worker cpu-meter.ts). The fit (--fit-host) takes the `pace` part — classifying and recording a step
// after its kernel, outside the pacer's sleep — per step from the fitting window's run only (host-cost loopPace).
import { type HostCostFile, type LoopPaceCost, loopPaceCost, saveHostCostFile, withLoopPace } from '@oicf/sim';
import type { WorkerMetricSample } from './sim-fidelity-final-metrics.js';

type ByWorker = Readonly<Record<string, readonly WorkerMetricSample[]>>;

/** Summed process CPU (user + system) and count of one part of the loop over the workers named `prefix…`. */
export function loopPart(
  m: ByWorker,
  prefix: string,
  part: string,
): { cpuSeconds: number; wallSeconds: number; count: number } {
  let cpuSeconds = 0;
  let wallSeconds = 0;
  let count = 0;
  for (const [worker, samples] of Object.entries(m)) {
    if (!worker.startsWith(prefix)) continue;
    for (const s of samples) {
      if (s.labels.part !== part) continue;
      if (s.name === `oicf_${prefix}_loop_cpu_seconds_total`) cpuSeconds += s.value;
      else if (s.name === `oicf_${prefix}_loop_wall_seconds_total`) wallSeconds += s.value;
      else if (s.name === `oicf_${prefix}_loop_part_steps_total`) count += s.value;
    }
  }
  return { cpuSeconds, wallSeconds, count };
}

/** The decode workers' measured pace work per step (undefined: the run predates the meter). */
export function measuredLoopPace(m: ByWorker): LoopPaceCost | undefined {
  return loopPaceCost(loopPart(m, 'decode', 'pace'));
}

/** The fit with the measured pace work moved out of the step (after the regression, before the decode-step rounds). */
export function withMeasuredLoopPace(file: HostCostFile, m: ByWorker | undefined, path: string): HostCostFile {
  const pace = m === undefined ? undefined : measuredLoopPace(m);
  if (pace === undefined) {
    console.log('  loop pace: the fitting run has no measured loop CPU (worker-metrics.json): charged inside the step');
    return file;
  }
  console.log(
    `  loop pace (measured on the fitting run): ${(pace.secondsPerStep * 1e3).toFixed(3)} ms of CPU a step after its kernel, outside the pacing`,
  );
  const out = { ...file, cost: { ...file.cost, decode: withLoopPace(file.cost.decode, pace) } };
  saveHostCostFile(path, out);
  return out;
}

const DECODE_PARTS = ['idle', 'turn', 'step', 'step_after_wait', 'pace', 'flush'] as const;
const PREFILL_PARTS = ['between', 'fetch', 'kernel', 'pace', 'send'] as const;

/** Lines with the workers' process CPU and wall per part of their loop (a real run). */
export function loopCpuLines(mode: string, m: ByWorker | undefined): string[] {
  if (m === undefined) return [];
  const cells = (prefix: string, parts: readonly string[]) =>
    parts
      .map((p) => ({ p, ...loopPart(m, prefix, p) }))
      .filter((x) => x.count > 0)
      .map(
        (x) =>
          `${x.p} n ${x.count}, CPU ${x.cpuSeconds.toFixed(1)} s (${((x.cpuSeconds / x.count) * 1e3).toFixed(2)} ms each), wall ${x.wallSeconds.toFixed(1)} s`,
      );
  const d = cells('decode', DECODE_PARTS);
  const p = cells('prefill', PREFILL_PARTS);
  return [
    ...(d.length > 0 ? [`mode ${mode} real decode workers' process CPU by loop part: ${d.join('; ')}`] : []),
    ...(p.length > 0 ? [`mode ${mode} real prefill workers' process CPU by loop part: ${p.join('; ')}`] : []),
  ];
}
