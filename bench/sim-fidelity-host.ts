// The fidelity bench's host-cost step (`--fit-host`): fits this machine's host-cost model from the samples
// of one real run (@oicf/sim fitHostCost) and writes it beside the step-time model; and the lines the
// results show about it.
import { loadavg } from 'node:os';
import type { ReplayRun } from '@oicf/report';
import {
  fitHandoffCost,
  fitHostCost,
  type HandoffObservation,
  HOST_COST_FILE_VERSION,
  type HostCostFile,
  type HostSample,
  type KernelPricing,
  kindOf,
  type StepTimeModel,
  saveHostCostFile,
  sumCounters,
} from '@oicf/sim';
import { thisMachineHost } from '@oicf/sim/config';
import type { TraceRequest } from '@oicf/traces';

/** Per-transfer latency kept from the twin's own loopback figure (DESIGN.md §7): the fit reads a rate, not a latency. */
const LOOPBACK_LATENCY_SECONDS = thisMachineHost(0).loopback.latencySeconds;

/**
 * The calibrated model's kernel pricing the fit subtracts from the workers' CPU (what the twin charges as
 * kernels), with decode contexts at the window's token-weighted mean (prompt + half the output).
 */
export function kernelPricing(
  model: StepTimeModel,
  requests: readonly TraceRequest[],
  real: ReplayRun,
  samples: readonly HostSample[],
): KernelPricing {
  let tokens = 0;
  let weighted = 0;
  for (const r of requests) {
    tokens += r.outputTokens;
    weighted += r.outputTokens * (r.inputTokens + r.outputTokens / 2);
  }
  return {
    prefillStepSeconds: (n) => model.stepSeconds({ phase: 'prefill', numNewTokens: n, cachedTokens: 0 }),
    decodeStepSeconds: (batch, context) =>
      model.stepSeconds({ phase: 'decode', contextTokens: new Array<number>(batch).fill(context) }),
    meanDecodeContextTokens: tokens > 0 ? Math.round(weighted / tokens) : 1,
    totalSeconds: exactKernelTotals(model, real, samples),
  };
}

const DECODE_STEPS = /^oicf_decode_executed_steps_total\{.*phase="decode"/;

/**
 * Each worker's calibrated kernel seconds over the real run at its steps' own shapes, from the replay's
 * records: a request's prefill (prompt less its cached tokens) on its prefill worker (or its decode worker
 * when it prefilled locally), and its decode tokens on its decode worker. A decode batch is priced as the
 * model's per-step base (its steps from the samples) plus each sequence's share at its own context:
 * share(C) = step([C, C]) − step([C]), base = step([C]) − share(C) (the model is affine in the batch's
 * contexts for a batch size, docs/simulation.md).
 */
function exactKernelTotals(
  model: StepTimeModel,
  real: ReplayRun,
  samples: readonly HostSample[],
): (name: string) => number | undefined {
  const totals = new Map<string, number>();
  const add = (name: string | null | undefined, s: number) => {
    if (name) totals.set(name, (totals.get(name) ?? 0) + s);
  };
  const one = (c: number) => model.stepSeconds({ phase: 'decode', contextTokens: [c] });
  const share = (c: number) => model.stepSeconds({ phase: 'decode', contextTokens: [c, c] }) - one(c);
  for (const r of real.records) {
    const routing = r.routing;
    if (routing === null || r.status !== 'ok') continue;
    const P = r.numInputTokens;
    const cached = Math.min(P - 1, routing.numCachedTokens ?? r.numCachedTokens ?? 0);
    const prefillOn = routing.prefillWorkerId ?? routing.decodeWorkerId;
    add(prefillOn, model.stepSeconds({ phase: 'prefill', numNewTokens: P - cached, cachedTokens: cached }));
    for (let i = 1; i < r.numOutputTokens; i++) add(routing.decodeWorkerId, share(P + i));
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const base = one(1024) - share(1024);
  return (name) => {
    const t = totals.get(name);
    if (t === undefined || first === undefined || last === undefined) return t;
    const steps = sumCounters(last.processes[name], DECODE_STEPS) - sumCounters(first.processes[name], DECODE_STEPS);
    return t + steps * base;
  };
}

export function fitAndSave(
  samples: readonly HostSample[],
  path: string,
  source: string,
  kernel: KernelPricing | undefined,
  groupSeconds: number,
  real: ReplayRun,
  kvBytesPerToken: number,
): HostCostFile {
  const fit = fitHostCost(samples, { groupSeconds, ...(kernel === undefined ? {} : { kernel }) });
  // The handoff's path from the same run's per-request timings (fit-handoff-cost.ts).
  const observations = handoffObservations(real, kvBytesPerToken);
  const handoff =
    fit.handoffBytesPerSecond === undefined || observations.length < 2
      ? undefined
      : fitHandoffCost(observations, {
          linkSecondsPerByte: 1 / fit.handoffBytesPerSecond,
          regressedKvCpuSeconds:
            fit.cost.prefill.secondsPerKvByte * fit.workerKvBytes.prefill +
            fit.cost.decode.secondsPerKvByte * fit.workerKvBytes.decode,
          handoffBytes: fit.handoffBytes,
        });
  const file: HostCostFile = {
    version: HOST_COST_FILE_VERSION,
    fittedAtIso: new Date().toISOString(),
    source,
    loadAverage: loadavg(),
    cost: handoff === undefined ? fit.cost : { ...fit.cost, handoff: handoff.cost },
    ...(fit.handoffBytesPerSecond === undefined
      ? {}
      : { kvLink: { bandwidthBytesPerSecond: fit.handoffBytesPerSecond, latencySeconds: LOOPBACK_LATENCY_SECONDS } }),
    fits: fit.fits,
    ...(handoff === undefined ? {} : { handoffFit: { send: handoff.send, firstGap: handoff.firstGap } }),
  };
  saveHostCostFile(path, file);
  console.log(
    `host-cost model fitted from ${samples.length} samples (${fit.wallSeconds.toFixed(0)} s), handoff ${(fit.handoffBytes / 1e6).toFixed(1)} MB in ${fit.numHandoffs} transfers at ${fit.handoffBytesPerSecond === undefined ? 'n/a' : `${(fit.handoffBytesPerSecond / 1e6).toFixed(0)} MB/s`}; off-main-thread worker CPU ${fit.offMainCpuSeconds.prefill.toFixed(1)} s prefill, ${fit.offMainCpuSeconds.decode.toFixed(1)} s decode; saved to ${path}`,
  );
  for (const line of describeHostCost(file)) console.log(`  ${line}`);
  return file;
}

/** Per remote-prefill request of a real run: its handoff's bytes (prompt tokens), send seconds, first gap. */
export function handoffObservations(real: ReplayRun, kvBytesPerToken: number): HandoffObservation[] {
  const out: HandoffObservation[] = [];
  for (const r of real.records) {
    const routing = r.routing;
    if (r.status !== 'ok' || routing === null || routing.prefillWorkerId == null) continue;
    if (routing.kvTransferSeconds === null) continue;
    out.push({
      handoffBytes: r.numInputTokens * kvBytesPerToken,
      sendSeconds: routing.kvTransferSeconds,
      firstGapSeconds: r.interTokenSeconds[0],
    });
  }
  return out;
}

/** One line per process kind: its fitted costs, R² and the CPU it explains. */
export function describeHostCost(file: HostCostFile): string[] {
  const lines = file.fits.map((f) => {
    const terms = f.columns.map((c, j) => `${c} ${formatCost(c, f.coefficients[j] ?? 0)}`).join(', ');
    const kernels = f.kernelCpuSeconds > 0 ? ` (after ${f.kernelCpuSeconds.toFixed(1)} s of calibrated kernels)` : '';
    return `${f.kind}: ${terms}; R² ${f.r2.toFixed(2)} over ${f.numIntervals} intervals; CPU ${f.measuredCpuSeconds.toFixed(1)} s measured${kernels}, ${f.fittedCpuSeconds.toFixed(1)} s fitted`;
  });
  if (file.kvLink !== undefined) {
    lines.push(`KV link (handoff, measured): ${(file.kvLink.bandwidthBytesPerSecond / 1e6).toFixed(0)} MB/s`);
  }
  const h = file.cost.handoff;
  if (h !== undefined) {
    const ns = (v: number) => `${(v * 1e9).toFixed(2)} ns`;
    const f = file.handoffFit;
    const line = (l: { secondsPerByte: number; interceptSeconds: number; r2: number; n: number } | undefined) =>
      l === undefined
        ? ''
        : ` (${ns(l.secondsPerByte)} a byte + ${(l.interceptSeconds * 1e3).toFixed(1)} ms, R² ${l.r2.toFixed(2)}, ${l.n} requests)`;
    lines.push(
      `handoff per byte, from per-request timings: send path beyond the link ${ns(h.sendSecondsPerByte)}${line(f?.send)}; import ${ns(h.importSecondsPerByte)}${line(f?.firstGap)}; off the path ${ns(h.offPathSecondsPerByte)}`,
    );
  }
  return lines;
}

function formatCost(column: string, v: number): string {
  if (column === 'busyCores') return `${v.toFixed(3)} cores`;
  if (column.endsWith('KvByte')) return `${(v * 1e9).toFixed(2)} ns`;
  return `${(v * 1e6).toFixed(1)} µs`;
}

/** Main-thread and whole-process CPU seconds of each sampled process over a run (first → last sample). */
export function cpuByProcess(
  samples: readonly HostSample[],
): Record<string, { mainThreadSeconds: number; cpuSeconds: number; kind: string }> {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const out: Record<string, { mainThreadSeconds: number; cpuSeconds: number; kind: string }> = {};
  if (first === undefined || last === undefined) return out;
  for (const [name, p] of Object.entries(last.processes)) {
    const q = first.processes[name];
    if (q === undefined) continue;
    out[name] = {
      kind: kindOf(name) ?? 'other',
      mainThreadSeconds: p.mainThreadSeconds - q.mainThreadSeconds,
      cpuSeconds: p.cpuSeconds - q.cpuSeconds,
    };
  }
  return out;
}
