// Fits the host-cost model (host-cost.ts) from samples of a real run (bench/host-sampler.ts): for each kind of
// process, the CPU seconds it used (every thread) in each interval are regressed, by non-negative least
// squares (@oicf/kernels' NNLS), on what the process did in that interval, read from the counters the
// services already export. Intervals of all processes of a kind are pooled (the two decode workers fit one
// decode cost). Regressors:
//
//   router, client  requests routed (router), tokens decoded (Σ decode workers), seconds
//   prefill-N       steps, tokens prefilled, KV bytes sent + received
//   decode-N        requests finished, steps, sequences × decode steps, KV bytes received + sent
//   kv-pool         KV bytes received + sent, seconds
//
// A worker's kernels run on its main thread too (onnxruntime, 1 intra-op thread), and the twin prices them
// with the calibrated step-time model; so a worker's CPU is first reduced by what that model gives for the
// interval's steps (`kernel`: its steps at their mean shape), and the costs fitted are the rest: the
// worker's JavaScript plus whatever its kernels cost in the cluster beyond the calibration. Intervals are
// `groupSeconds` long (samples merged), so a step that spans a sampling boundary blurs less.
//
// It also reads the same-host KV link's achieved rate: handoff bytes received ÷ the decode workers' summed
// handoff transfer seconds (each measured from the first frame to the verified import).
import { nnls } from '@oicf/kernels/step-time';
import type { HostCost, HostSample, ProcessSample } from './host-cost.js';

export type ProcessKind = 'router' | 'client' | 'prefill' | 'decode' | 'pool';

/** The calibrated model's kernel seconds for a worker's steps (what the twin charges as kernels). */
export interface KernelPricing {
  /** One prefill step of `numNewTokens` new tokens (nothing cached). */
  prefillStepSeconds(numNewTokens: number): number;
  /** One decode step of `batch` sequences, each with `contextTokens` of context. */
  decodeStepSeconds(batch: number, contextTokens: number): number;
  /** The context a decoding sequence has on average in this run (prompt + half its output). */
  readonly meanDecodeContextTokens: number;
  /**
   * A worker's calibrated kernel seconds over the whole run at the steps' own shapes (e.g. from the replay's
   * records), when known: its per-interval estimates (mean shapes, which underprice a convex cost) are
   * scaled to sum to it, keeping their pattern over time.
   */
  readonly totalSeconds?: (workerName: string) => number | undefined;
}

export interface FitOptions {
  /** Without it, workers' whole CPU is fitted (kernels included: use only for a twin without kernels). */
  readonly kernel?: KernelPricing;
  /** Interval length (default 5 s): consecutive samples are merged up to it. */
  readonly groupSeconds?: number;
}

export interface KindFit {
  readonly kind: ProcessKind;
  readonly numIntervals: number;
  readonly columns: readonly string[];
  readonly coefficients: readonly number[];
  /** CPU seconds measured over the run (less the kernels'), and what the fitted costs give for the same counts. */
  readonly measuredCpuSeconds: number;
  readonly fittedCpuSeconds: number;
  /** Of the measured CPU, what the calibrated kernels account for (workers; 0 for others). */
  readonly kernelCpuSeconds: number;
  /** 1 − Σ residual² ÷ Σ (y − ȳ)² over the intervals. */
  readonly r2: number;
}

export interface HostCostFit {
  readonly cost: HostCost;
  readonly fits: readonly KindFit[];
  /** Same-host handoff rate, bytes per second (undefined: no handoff seen). */
  readonly handoffBytesPerSecond: number | undefined;
  readonly handoffBytes: number;
  readonly numHandoffs: number;
  /** Worker CPU off the main thread (kernels, onnxruntime and V8 helper threads), seconds, by kind. */
  readonly offMainCpuSeconds: Readonly<Record<'prefill' | 'decode', number>>;
  /** KV bytes the workers sent + received over the run (the per-byte columns' totals), by kind. */
  readonly workerKvBytes: Readonly<Record<'prefill' | 'decode', number>>;
  readonly wallSeconds: number;
}

/** Which kind a sampled service is (by the launcher's names). */
export function kindOf(name: string): ProcessKind | undefined {
  if (name === 'router') return 'router';
  if (name === 'client') return 'client';
  if (name === 'kv-pool' || name === 'pool') return 'pool';
  if (name.startsWith('prefill')) return 'prefill';
  if (name.startsWith('decode')) return 'decode';
  return undefined;
}

/** Σ of the counter series whose key matches `pattern`. */
export function sumCounters(p: ProcessSample | undefined, pattern: RegExp): number {
  let s = 0;
  if (p === undefined) return s;
  for (const [k, v] of Object.entries(p.counters)) if (pattern.test(k)) s += v;
  return s;
}

/** Every counter series the fit reads (a sampler keeps only these). */
export const HOST_COST_COUNTERS =
  /^(vllm:request_success_total|oicf_(router_routed_requests_total|(prefill|decode)_(executed_steps_total|batch_sequences_sum|step_tokens_sum|step_seconds_(sum|count)|kv_(sent|received)_bytes_total|kv_transfer_seconds_(sum|count)|finished_requests_total)|kvpool_(received|sent)_bytes_total))/;

const ROUTED = /^oicf_router_routed_requests_total/;
const DECODE_REQUESTS = /^oicf_decode_finished_requests_total/;
/** The same count under its vLLM name (a worker run with `metricNames: 'vllm'` exports only this one). */
const DECODE_REQUESTS_VLLM = /^vllm:request_success_total/;

/**
 * A decode worker's finished requests: the oicf-named counter when the worker exports it, else the vLLM-named
 * one (with `metricNames: 'both'` a worker exports both, and they count the same requests).
 */
function finishedRequests(p: ProcessSample | undefined): number {
  const oicf = p !== undefined && Object.keys(p.counters).some((k) => DECODE_REQUESTS.test(k));
  return sumCounters(p, oicf ? DECODE_REQUESTS : DECODE_REQUESTS_VLLM);
}
const STEPS = /^oicf_(prefill|decode)_executed_steps_total/;
const DECODE_SEQ_STEPS = /^oicf_decode_batch_sequences_sum\{.*phase="decode"/;
const PREFILL_TOKENS = /^oicf_prefill_step_tokens_sum/;
const WORKER_KV_BYTES = /^oicf_(prefill|decode)_kv_(sent|received)_bytes_total/;
const POOL_KV_BYTES = /^oicf_kvpool_(received|sent)_bytes_total/;
const HANDOFF_BYTES = /^oicf_decode_kv_received_bytes_total\{.*link="prefill->decode"/;
const HANDOFF_SECONDS = /^oicf_decode_kv_transfer_seconds_sum\{.*link="prefill->decode"/;
const HANDOFF_COUNT = /^oicf_decode_kv_transfer_seconds_count\{.*link="prefill->decode"/;

const COLUMNS: Record<ProcessKind, readonly string[]> = {
  router: ['secondsPerRequest', 'secondsPerToken', 'busyCores'],
  client: ['secondsPerRequest', 'secondsPerToken', 'busyCores'],
  // No idle term for workers: under load they step all the time, so an idle term would take the per-step
  // cost (which the twin puts on the step's path) and spread it as background demand instead.
  prefill: ['secondsPerStep', 'secondsPerToken', 'secondsPerKvByte'],
  decode: ['secondsPerRequest', 'secondsPerStep', 'secondsPerSequenceStep', 'secondsPerKvByte'],
  pool: ['secondsPerKvByte', 'busyCores'],
};

/** The regressors of one process over one interval, in COLUMNS order. */
function regressors(kind: ProcessKind, name: string, a: HostSample, b: HostSample): number[] {
  const d = (proc: string, pattern: RegExp) =>
    sumCounters(b.processes[proc], pattern) - sumCounters(a.processes[proc], pattern);
  const dt = b.atSeconds - a.atSeconds;
  const decoders = Object.keys(b.processes).filter((n) => kindOf(n) === 'decode');
  const tokens = decoders.reduce((s, n) => s + d(n, DECODE_SEQ_STEPS), 0);
  switch (kind) {
    case 'router':
    case 'client':
      return [d('router', ROUTED), tokens, dt];
    case 'prefill':
      return [d(name, STEPS), d(name, PREFILL_TOKENS), d(name, WORKER_KV_BYTES)];
    case 'decode':
      return [
        finishedRequests(b.processes[name]) - finishedRequests(a.processes[name]),
        d(name, STEPS),
        d(name, DECODE_SEQ_STEPS),
        d(name, WORKER_KV_BYTES),
      ];
    case 'pool':
      return [d(name, POOL_KV_BYTES), dt];
  }
}

const DECODE_STEPS = /^oicf_decode_executed_steps_total\{.*phase="decode"/;
const PREFILL_STEPS = /^oicf_(prefill|decode)_executed_steps_total\{.*phase="prefill"/;
const PREFILL_STEP_TOKENS = /^oicf_(prefill|decode)_step_tokens_sum\{.*phase="prefill"/;

/** The calibrated kernel seconds of a worker's steps in one interval, at their mean shapes. */
function kernelSeconds(k: KernelPricing, name: string, a: HostSample, b: HostSample): number {
  const d = (pattern: RegExp) => sumCounters(b.processes[name], pattern) - sumCounters(a.processes[name], pattern);
  let s = 0;
  const prefills = d(PREFILL_STEPS);
  if (prefills > 0) s += prefills * k.prefillStepSeconds(Math.max(1, Math.round(d(PREFILL_STEP_TOKENS) / prefills)));
  const decodes = d(DECODE_STEPS);
  if (decodes > 0) {
    // A fractional mean batch: interpolated between the batches either side.
    const mean = d(DECODE_SEQ_STEPS) / decodes;
    const lo = Math.max(1, Math.floor(mean));
    const frac = Math.max(0, mean - lo);
    const at = (n: number) => k.decodeStepSeconds(n, k.meanDecodeContextTokens);
    s += decodes * (frac > 0 ? (1 - frac) * at(lo) + frac * at(lo + 1) : at(lo));
  }
  return s;
}

/** Per worker, the calibrated kernel seconds of each interval (index i: samples i−1 → i), scaled to a known total. */
function kernelEstimates(samples: readonly HostSample[], k: KernelPricing | undefined): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const last = samples[samples.length - 1];
  if (k === undefined || last === undefined) return out;
  for (const name of Object.keys(last.processes)) {
    const kind = kindOf(name);
    if (kind !== 'prefill' && kind !== 'decode') continue;
    const est = samples.map((b, i) => (i === 0 ? 0 : kernelSeconds(k, name, samples[i - 1] as HostSample, b)));
    const sum = est.reduce((s, v) => s + v, 0);
    const total = k.totalSeconds?.(name);
    const scale = total !== undefined && sum > 0 ? total / sum : 1;
    out.set(
      name,
      est.map((v) => v * scale),
    );
  }
  return out;
}

/** Samples merged so that each interval is at least `seconds` long (the last partial one kept if ≥ half). */
function grouped(samples: readonly HostSample[], seconds: number): HostSample[] {
  const out: HostSample[] = [];
  for (const s of samples) {
    const last = out[out.length - 1];
    if (last === undefined || s.atSeconds - last.atSeconds >= seconds - 1e-9) out.push(s);
  }
  const end = samples[samples.length - 1];
  const last = out[out.length - 1];
  if (end !== undefined && last !== undefined && end !== last && end.atSeconds - last.atSeconds >= seconds / 2) {
    out.push(end);
  }
  return out;
}

/**
 * A sample is usable when every scrape answered and every service has counted something: before that the
 * services are warming up (JIT, first allocations, registration), work the counts do not describe.
 */
function scraped(s: HostSample): boolean {
  return Object.entries(s.processes).every(
    ([n, p]) => n === 'client' || (p.scrapeFailed !== true && Object.keys(p.counters).length > 0),
  );
}

export function fitHostCost(all: readonly HostSample[], options: FitOptions = {}): HostCostFit {
  if (all.length < 3) throw new Error(`host-cost fit: need ≥ 3 samples, got ${all.length}`);
  const first = all[0] as HostSample;
  const last = all[all.length - 1] as HostSample;
  const samples = grouped(
    all.filter((s) => scraped(s)),
    options.groupSeconds ?? 5,
  );
  const kernels = kernelEstimates(samples, options.kernel);
  const rows = new Map<ProcessKind, { x: number[][]; y: number[]; kernel: number }>();
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as HostSample;
    const b = samples[i] as HostSample;
    for (const name of Object.keys(b.processes)) {
      const kind = kindOf(name);
      const pa = a.processes[name];
      const pb = b.processes[name];
      if (kind === undefined || pa === undefined || pb === undefined) continue;
      const worker = kind === 'prefill' || kind === 'decode';
      const kernel = worker ? (kernels.get(name)?.[i] ?? 0) : 0;
      const y = pb.cpuSeconds - pa.cpuSeconds - kernel;
      const x = regressors(kind, name, a, b);
      if (!Number.isFinite(y) || x.some((v) => !Number.isFinite(v) || v < 0)) continue;
      const r = rows.get(kind) ?? { x: [], y: [], kernel: 0 };
      r.x.push(x);
      r.y.push(y);
      r.kernel += kernel;
      rows.set(kind, r);
    }
  }
  const fits: KindFit[] = [];
  const coef = (kind: ProcessKind): Record<string, number> => {
    const r = rows.get(kind);
    const columns = COLUMNS[kind];
    if (r === undefined || r.y.length < columns.length) {
      throw new Error(`host-cost fit: too few usable intervals for ${kind} (${r?.y.length ?? 0})`);
    }
    // Columns scaled to unit maxima so the solver sees comparable magnitudes (bytes vs requests).
    const scale = columns.map((_, j) => Math.max(...r.x.map((row) => row[j] ?? 0)) || 1);
    const scaled = nnls(
      r.x.map((row) => row.map((v, j) => v / (scale[j] as number))),
      r.y,
    );
    const c = scaled.map((v, j) => v / (scale[j] as number));
    const predicted = r.x.map((row) => row.reduce((s, v, j) => s + v * (c[j] as number), 0));
    const measured = r.y.reduce((s, v) => s + v, 0);
    const mean = measured / r.y.length;
    let ssRes = 0;
    let ssTot = 0;
    r.y.forEach((v, i) => {
      ssRes += (v - (predicted[i] as number)) ** 2;
      ssTot += (v - mean) ** 2;
    });
    fits.push({
      kind,
      numIntervals: r.y.length,
      columns,
      coefficients: c,
      measuredCpuSeconds: measured,
      fittedCpuSeconds: predicted.reduce((s, v) => s + v, 0),
      kernelCpuSeconds: r.kernel,
      r2: ssTot > 0 ? 1 - ssRes / ssTot : 1,
    });
    return { busyCores: 0, ...Object.fromEntries(columns.map((name, j) => [name, c[j] as number])) };
  };
  const cost = {
    router: coef('router'),
    client: coef('client'),
    prefill: coef('prefill'),
    decode: coef('decode'),
    pool: coef('pool'),
  } as unknown as HostCost;
  const decoders = Object.keys(last.processes).filter((n) => kindOf(n) === 'decode');
  const total = (pattern: RegExp) =>
    decoders.reduce(
      (s, n) => s + sumCounters(last.processes[n], pattern) - sumCounters(first.processes[n], pattern),
      0,
    );
  const handoffBytes = total(HANDOFF_BYTES);
  const handoffSeconds = total(HANDOFF_SECONDS);
  const offMain = (kind: 'prefill' | 'decode') =>
    Object.keys(last.processes)
      .filter((n) => kindOf(n) === kind)
      .reduce((s, n) => {
        const p = last.processes[n] as ProcessSample;
        const q = first.processes[n];
        if (q === undefined) return s;
        return s + (p.cpuSeconds - p.mainThreadSeconds) - (q.cpuSeconds - q.mainThreadSeconds);
      }, 0);
  const kvBytesOf = (kind: 'prefill' | 'decode') =>
    Object.keys(last.processes)
      .filter((n) => kindOf(n) === kind)
      .reduce(
        (s, n) =>
          s + sumCounters(last.processes[n], WORKER_KV_BYTES) - sumCounters(first.processes[n], WORKER_KV_BYTES),
        0,
      );
  return {
    cost,
    fits,
    handoffBytesPerSecond: handoffSeconds > 0 ? handoffBytes / handoffSeconds : undefined,
    handoffBytes,
    numHandoffs: total(HANDOFF_COUNT),
    offMainCpuSeconds: { prefill: offMain('prefill'), decode: offMain('decode') },
    workerKvBytes: { prefill: kvBytesOf('prefill'), decode: kvBytesOf('decode') },
    wallSeconds: last.atSeconds - first.atSeconds,
  };
}
