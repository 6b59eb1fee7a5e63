// Stage (b): one configuration on the workload in the twin (@oicf/sim SimRun), judged as a replay is:
// DistServe goodput under the SLOs (@oicf/report computeGoodput), latency percentiles (@oicf/core), the
// regime of every engine step and where KV lived (the tiered step model's recorder, plus the pool's and the
// decode workers' caches sampled between event batches).
import { percentile, sortedFinite } from '@oicf/core';
import { computeGoodput } from '@oicf/report';
import { SimRun } from '@oicf/sim';
import type { TraceRequest } from '@oicf/traces';
import type { InstanceModels } from '../analytic/instance-model.js';
import { objectivesOf } from '../analytic/objectives.js';
import { roundResult } from '../analytic/screen.js';
import type { ScreenResult, Slo } from '../analytic/screen-types.js';
import type { Configuration, ExploreSpace } from '../space/space-types.js';
import { designToSim, SIM_BLOCK_TOKENS } from './design-to-sim.js';
import type { SimOutcome } from './sim-outcome.js';
import { newRecorder, type StepRecorder } from './tiered-step-time.js';

export interface SimulateInputs {
  readonly space: ExploreSpace;
  readonly models: InstanceModels;
  readonly requests: readonly TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly slo: Slo;
  readonly seed: number;
}

export interface SimulateControl {
  /** Checked between event batches; a stopped run returns null (a partial run is not comparable). */
  readonly shouldStop?: () => boolean;
  /** Events per batch (default 50,000). */
  readonly eventsPerBatch?: number;
  /** Between batches: the fraction of requests finished. */
  readonly onProgress?: (fractionDone: number) => void;
}

/**
 * One configuration's twin run, advanced in batches of events so a host can draw progress and stop between
 * them; `outcome()` judges the finished run.
 */
export class ConfigurationSimulation {
  private readonly run: SimRun;
  private readonly recorder = newRecorder();
  private readonly kvBytesPerToken: number;
  /** Cached KV over time: the pool's tiers and the decode workers' retained blocks, sampled between batches. */
  private readonly cachedByteSeconds: Record<string, number> = {};
  private lastT = 0;
  private readonly t0 = performance.now();
  private finished = false;

  constructor(
    private readonly config: Configuration,
    private readonly screen: ScreenResult,
    private readonly input: SimulateInputs,
  ) {
    const { cluster } = designToSim(config, input.space, input.models, screen, this.recorder);
    this.kvBytesPerToken = cluster.kvBytesPerToken;
    this.run = new SimRun(cluster, { requests: input.requests, loop: input.loop, seed: input.seed, blockIds: 'fast' });
  }

  /** Runs up to `maxEvents` events; true once every request has ended. */
  advance(maxEvents: number): boolean {
    const done = this.run.advance(maxEvents);
    this.sample();
    this.finished = done;
    return done;
  }

  /** Fraction of the workload's requests finished. */
  progress(): number {
    const p = this.run.progress();
    return p.numPlanned > 0 ? p.numFinished / p.numPlanned : 1;
  }

  private sample(): void {
    const now = this.run.runtime.ctx.queue.nowSeconds;
    const dt = now - this.lastT;
    this.lastT = now;
    if (dt <= 0) return;
    const pool = this.run.runtime.ctx.pool;
    if (pool !== undefined) {
      for (const t of pool.cache.stats().tiers) {
        const id = this.config.tiers.find((x) => x.base === t.name)?.id ?? t.name;
        this.cachedByteSeconds[id] = (this.cachedByteSeconds[id] ?? 0) + t.usedBytes * dt;
      }
    }
    let retained = 0;
    for (const w of this.run.runtime.decodeWorkers.values()) retained += w.cache.numBlocks;
    this.cachedByteSeconds.hbm =
      (this.cachedByteSeconds.hbm ?? 0) + retained * SIM_BLOCK_TOKENS * this.kvBytesPerToken * dt;
  }

  /** The judged run (call once it is done). */
  outcome(): SimOutcome {
    if (!this.finished) throw new Error('ConfigurationSimulation.outcome: the run has not finished');
    return roundResult(
      judge(this.config, this.screen, this.input, this.run, this.recorder, this.cachedByteSeconds, this.t0),
    );
  }
}

/** Simulates `config` to the end synchronously (null when `shouldStop` stopped it: a partial run is not comparable). */
export function simulateConfiguration(
  config: Configuration,
  screen: ScreenResult,
  input: SimulateInputs,
  control: SimulateControl = {},
): SimOutcome | null {
  const sim = new ConfigurationSimulation(config, screen, input);
  const every = control.eventsPerBatch ?? 50_000;
  for (;;) {
    const done = sim.advance(every);
    control.onProgress?.(sim.progress());
    if (done) return sim.outcome();
    if (control.shouldStop?.() === true) return null;
  }
}

function judge(
  config: Configuration,
  screen: ScreenResult,
  input: SimulateInputs,
  run: SimRun,
  recorder: StepRecorder,
  cachedByteSeconds: Readonly<Record<string, number>>,
  t0: number,
): SimOutcome {
  const result = run.finish();
  const records = result.run.records;
  const duration = result.run.durationSeconds;
  const slo = { ttftSeconds: input.slo.ttftSeconds, tpotSeconds: input.slo.tpotSeconds };
  const goodput = computeGoodput(records, slo, duration);
  const ttft = sortedFinite(records.map((r) => r.ttftSeconds ?? Number.NaN));
  const tpot = sortedFinite(records.map((r) => r.tpotSeconds ?? Number.NaN));
  let outputTokens = 0;
  let metTokens = 0;
  let numMet = 0;
  let missTtft = 0;
  let missTpot = 0;
  let failed = 0;
  for (const r of records) {
    outputTokens += r.numOutputTokens;
    if (r.status === 'cancelled') continue;
    if (r.status !== 'ok' || r.ttftSeconds === null) {
      failed++;
      continue;
    }
    const ttftOk = r.ttftSeconds <= slo.ttftSeconds;
    const tpotOk = r.tpotSeconds === null || r.tpotSeconds <= slo.tpotSeconds;
    if (!ttftOk) missTtft++;
    if (!tpotOk) missTpot++;
    if (ttftOk && tpotOk) {
      metTokens += r.numOutputTokens;
      numMet++;
    }
  }
  const goodputRps = goodput.requestsPerSecond ?? 0;
  const steps = recorder.compute + recorder.bandwidth + recorder.capacity;
  const kvBytes: Record<string, number> = { ...cachedByteSeconds };
  for (const [tier, v] of Object.entries(recorder.kvByteSeconds)) kvBytes[tier] = (kvBytes[tier] ?? 0) + v;
  let kvTotal = 0;
  for (const v of Object.values(kvBytes)) kvTotal += v;
  const kvTierShares: Record<string, number> = {};
  for (const [k, v] of Object.entries(kvBytes)) if (v > 0) kvTierShares[k] = v / kvTotal;
  const pick = (sorted: readonly number[], q: number) => (sorted.length > 0 ? percentile(sorted, q) : null);
  return {
    index: config.index,
    numJudged: goodput.numJudged,
    numMet: goodput.numMet,
    numRejected: records.filter((r) => r.status === 'rejected').length,
    attainment: goodput.attainment ?? 0,
    goodputRps,
    ttftP50Seconds: pick(ttft, 0.5),
    ttftP99Seconds: pick(ttft, 0.99),
    tpotP50Seconds: pick(tpot, 0.5),
    tpotP99Seconds: pick(tpot, 0.99),
    outputTokensPerSecond: duration > 0 ? outputTokens / duration : 0,
    objectives: objectivesOf(goodputRps, numMet > 0 ? metTokens / numMet : 0, screen.usdPerHour, screen.typicalWatts),
    regimeMix:
      steps > 0
        ? {
            compute: recorder.compute / steps,
            bandwidth: recorder.bandwidth / steps,
            capacity: recorder.capacity / steps,
          }
        : { compute: 0, bandwidth: 0, capacity: 0 },
    kvTierShares,
    simulatedSeconds: duration,
    wallSeconds: (performance.now() - t0) / 1000,
    interrupted: false,
    why: twinWhy(goodput.numJudged, missTtft, missTpot, failed, pick(ttft, 0.99), pick(tpot, 0.5), screen.why),
  };
}

const pct = (n: number, of: number) => `${Math.round((100 * n) / Math.max(1, of))} %`;
const secs = (s: number | null) => (s === null ? 'n/a' : s >= 1 ? `${s.toFixed(2)} s` : `${Math.round(s * 1000)} ms`);

/** The twin's reading first (which SLO its requests missed), then the screen's term. */
function twinWhy(
  judged: number,
  missTtft: number,
  missTpot: number,
  failed: number,
  ttftP99: number | null,
  tpotP50: number | null,
  screenWhy: string,
): string {
  const parts: string[] = [];
  if (missTtft > 0) parts.push(`${pct(missTtft, judged)} miss TTFT (p99 ${secs(ttftP99)})`);
  if (missTpot > 0) parts.push(`${pct(missTpot, judged)} miss TPOT (p50 ${secs(tpotP50)})`);
  if (failed > 0) parts.push(`${pct(failed, judged)} rejected or failed`);
  const twin = parts.length === 0 ? 'twin: every request met both SLOs' : `twin: ${parts.join(', ')}`;
  return `${twin}; screen: ${screenWhy}`;
}
