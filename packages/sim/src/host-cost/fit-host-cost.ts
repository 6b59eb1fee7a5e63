// Fits the host-cost model (host-cost.ts) from samples of a real run (bench/host-sampler.ts): for each kind of
// process, the main thread's CPU seconds in each sampling interval are regressed, by non-negative least
// squares (@oicf/kernels' NNLS), on what the process did in that interval, read from the counters the
// services already export. Intervals of all processes of a kind are pooled (the two decode workers fit one
// decode cost). Regressors:
//
//   router, client  requests routed (router), tokens decoded (Σ decode workers), seconds
//   prefill-N       steps, tokens prefilled, KV bytes sent + received, seconds
//   decode-N        steps, sequences × decode steps, KV bytes received + sent, seconds
//   kv-pool         KV bytes received + sent, seconds
//
// It also reads the same-host KV link's achieved rate: handoff bytes received ÷ the decode workers' summed
// handoff transfer seconds (each measured from the first frame to the verified import).
import { nnls } from '@oicf/kernels/step-time';
import type { HostCost, HostSample, ProcessSample } from './host-cost.js';

export type ProcessKind = 'router' | 'client' | 'prefill' | 'decode' | 'pool';

export interface KindFit {
  readonly kind: ProcessKind;
  readonly numIntervals: number;
  readonly columns: readonly string[];
  readonly coefficients: readonly number[];
  /** Main-thread CPU seconds measured over the run, and what the fitted costs give for the same counts. */
  readonly measuredCpuSeconds: number;
  readonly fittedCpuSeconds: number;
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

const ROUTED = /^oicf_router_routed_requests_total/;
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
  prefill: ['secondsPerStep', 'secondsPerToken', 'secondsPerKvByte', 'busyCores'],
  decode: ['secondsPerStep', 'secondsPerSequenceStep', 'secondsPerKvByte', 'busyCores'],
  pool: ['secondsPerKvByte', 'busyCores'],
};

/** The regressors of one process over one interval, in COLUMNS order (the last is always the seconds). */
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
      return [d(name, STEPS), d(name, PREFILL_TOKENS), d(name, WORKER_KV_BYTES), dt];
    case 'decode':
      return [d(name, STEPS), d(name, DECODE_SEQ_STEPS), d(name, WORKER_KV_BYTES), dt];
    case 'pool':
      return [d(name, POOL_KV_BYTES), dt];
  }
}

/** An interval is usable when every counter scrape answered at both ends (a failed scrape reads as empty). */
function scraped(s: HostSample): boolean {
  return Object.entries(s.processes).every(([n, p]) => n === 'client' || Object.keys(p.counters).length > 0);
}

export function fitHostCost(samples: readonly HostSample[]): HostCostFit {
  if (samples.length < 3) throw new Error(`host-cost fit: need ≥ 3 samples, got ${samples.length}`);
  const first = samples[0] as HostSample;
  const last = samples[samples.length - 1] as HostSample;
  const rows = new Map<ProcessKind, { x: number[][]; y: number[] }>();
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as HostSample;
    const b = samples[i] as HostSample;
    if (!scraped(a) || !scraped(b)) continue;
    for (const name of Object.keys(b.processes)) {
      const kind = kindOf(name);
      const pa = a.processes[name];
      const pb = b.processes[name];
      if (kind === undefined || pa === undefined || pb === undefined) continue;
      const y = pb.mainThreadSeconds - pa.mainThreadSeconds;
      const x = regressors(kind, name, a, b);
      if (!Number.isFinite(y) || x.some((v) => !Number.isFinite(v) || v < 0)) continue;
      const r = rows.get(kind) ?? { x: [], y: [] };
      r.x.push(x);
      r.y.push(y);
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
      r2: ssTot > 0 ? 1 - ssRes / ssTot : 1,
    });
    return Object.fromEntries(columns.map((name, j) => [name, c[j] as number]));
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
  return {
    cost,
    fits,
    handoffBytesPerSecond: handoffSeconds > 0 ? handoffBytes / handoffSeconds : undefined,
    handoffBytes,
    numHandoffs: total(HANDOFF_COUNT),
    offMainCpuSeconds: { prefill: offMain('prefill'), decode: offMain('decode') },
    wallSeconds: last.atSeconds - first.atSeconds,
  };
}
