// What the dashboard shows, built once per tick from plain inputs (pure: no clock, no socket; the hub in
// event-stream.ts gathers the inputs). It keeps a bounded history of rates (HISTORY_SAMPLES ticks) and a
// bounded trail of recent positions per worker and phase (TRAIL_POINTS), pruned when a worker leaves, so
// memory stays flat however long the router runs.
import type { RouterTotalsSnapshot } from '../router-totals.js';
import { decodePoint, type LoadFigures, type PhasePoint, prefillPoint, type ServedModel } from './worker-points.js';

export const HISTORY_SAMPLES = 300;
export const TRAIL_POINTS = 30;
/** Prefill points use the mean prompt of the requests finished in this window (else of all of them). */
export const PROMPT_WINDOW_SECONDS = 30;
/** The headline numbers (tokens/s, mean TTFT and TPOT) cover this many seconds. */
export const RECENT_WINDOW_SECONDS = 10;

export interface WorkerInput {
  readonly workerId: string;
  readonly role: string;
  readonly healthy: boolean;
  readonly deviceId: string;
  readonly kvCapacityBytes: number;
  readonly load: (LoadFigures & { readonly numWaitingSequences: number; readonly kvCapacityBytes: number }) | undefined;
}

export interface PoolTierInput {
  readonly tier: string;
  readonly usedBytes: number;
  readonly capacityBytes: number;
  readonly numHits: number;
}

export interface TickInput {
  readonly atSeconds: number;
  readonly totals: RouterTotalsSnapshot;
  readonly workers: readonly WorkerInput[];
  /** The pool's tiers and misses (null: no pool, or it did not answer). */
  readonly pool: { readonly tiers: readonly PoolTierInput[]; readonly numMisses: number } | null;
}

/** What happened over one tick, or over a window of ticks (means null where nothing finished in it). */
export interface RateSample {
  readonly atSeconds: number;
  readonly intervalSeconds: number;
  readonly numFinished: number;
  readonly numInterTokenGaps: number;
  readonly numPromptTokens: number;
  readonly numGeneratedTokens: number;
  readonly numRejected: number;
  readonly ttftSecondsSum: number;
  readonly interTokenSecondsSum: number;
  readonly generatedTokensPerSecond: number;
  readonly promptTokensPerSecond: number;
  readonly ttftMeanSeconds: number | null;
  readonly tpotMeanSeconds: number | null;
}

/** The sample of `parts` taken together (sums added, rates and means recomputed); null for none. */
export function combineSamples(parts: readonly RateSample[]): RateSample | null {
  const last = parts.at(-1);
  if (last === undefined) return null;
  const add = (f: (r: RateSample) => number) => parts.reduce((a, r) => a + f(r), 0);
  return rateSample(
    last.atSeconds,
    add((r) => r.intervalSeconds),
    {
      numFinished: add((r) => r.numFinished),
      numInterTokenGaps: add((r) => r.numInterTokenGaps),
      numPromptTokens: add((r) => r.numPromptTokens),
      numGeneratedTokens: add((r) => r.numGeneratedTokens),
      numRejected: add((r) => r.numRejected),
      ttftSecondsSum: add((r) => r.ttftSecondsSum),
      interTokenSecondsSum: add((r) => r.interTokenSecondsSum),
    },
  );
}

type Counts = Pick<
  RateSample,
  | 'numFinished'
  | 'numInterTokenGaps'
  | 'numPromptTokens'
  | 'numGeneratedTokens'
  | 'numRejected'
  | 'ttftSecondsSum'
  | 'interTokenSecondsSum'
>;

function rateSample(atSeconds: number, intervalSeconds: number, c: Counts): RateSample {
  return {
    atSeconds,
    intervalSeconds,
    ...c,
    generatedTokensPerSecond: c.numGeneratedTokens / intervalSeconds,
    promptTokensPerSecond: c.numPromptTokens / intervalSeconds,
    ttftMeanSeconds: c.numFinished > 0 ? c.ttftSecondsSum / c.numFinished : null,
    tpotMeanSeconds: c.numInterTokenGaps > 0 ? c.interTokenSecondsSum / c.numInterTokenGaps : null,
  };
}

export interface WorkerView {
  readonly id: string;
  readonly role: string;
  readonly healthy: boolean;
  readonly device: string;
  readonly running: number;
  readonly waiting: number;
  readonly kvUsedBytes: number;
  readonly kvCapacityBytes: number;
  readonly prefill: PhasePoint | null;
  readonly decode: PhasePoint | null;
}

export interface TierView {
  readonly name: string;
  readonly usedBytes: number;
  readonly capacityBytes: number;
}

export interface DashboardSnapshot {
  readonly sequence: number;
  readonly atSeconds: number;
  readonly model: {
    readonly id: string;
    readonly weightPrecision: string;
    readonly weightBytes: number;
    readonly kvBytesPerToken: number;
  };
  readonly meanPromptTokens: number | null;
  readonly workers: readonly WorkerView[];
  /** The last tick. */
  readonly rates: RateSample | null;
  /** The last RECENT_WINDOW_SECONDS. */
  readonly recent: RateSample | null;
  readonly totals: RouterTotalsSnapshot;
  readonly tiers: readonly TierView[];
  readonly pool: { readonly hitBlocks: number; readonly missBlocks: number } | null;
}

export type TrailKey = `${string} ${'prefill' | 'decode'}`;

export class DashboardState {
  private readonly history: RateSample[] = [];
  private readonly trails = new Map<TrailKey, PhasePoint[]>();
  private previous: { atSeconds: number; totals: RouterTotalsSnapshot } | undefined;
  private sequence = 0;

  constructor(private readonly model: ServedModel) {}

  /** Rates of the last HISTORY_SAMPLES ticks, oldest first. */
  rates(): readonly RateSample[] {
    return this.history;
  }

  /** Recent positions of each worker's phase points, oldest first (TRAIL_POINTS at most). */
  trailsByKey(): ReadonlyMap<TrailKey, readonly PhasePoint[]> {
    return this.trails;
  }

  tick(input: TickInput): DashboardSnapshot {
    this.sequence += 1;
    const rates = this.sampleRates(input);
    const meanPromptTokens = this.meanPromptTokens(input);
    const workers = input.workers.map((w) => this.workerView(w, meanPromptTokens));
    this.pruneTrails(new Set(input.workers.map((w) => w.workerId)));
    const tiers: TierView[] = [
      ...workers
        .filter((w) => w.role !== 'prefill')
        .map((w) => ({ name: `${w.id} HBM`, usedBytes: w.kvUsedBytes, capacityBytes: w.kvCapacityBytes })),
      ...(input.pool?.tiers ?? []).map((t) => ({
        name: `pool ${t.tier}`,
        usedBytes: t.usedBytes,
        capacityBytes: t.capacityBytes,
      })),
    ];
    const pool = input.pool
      ? { hitBlocks: input.pool.tiers.reduce((a, t) => a + t.numHits, 0), missBlocks: input.pool.numMisses }
      : null;
    return {
      sequence: this.sequence,
      atSeconds: input.atSeconds,
      model: {
        id: this.model.id,
        weightPrecision: this.model.weightPrecision,
        weightBytes: this.model.weightBytes,
        kvBytesPerToken: this.model.kvBytesPerToken,
      },
      meanPromptTokens,
      workers,
      rates,
      recent: combineSamples(this.history.filter((r) => r.atSeconds > input.atSeconds - RECENT_WINDOW_SECONDS)),
      totals: input.totals,
      tiers,
      pool,
    };
  }

  private sampleRates(input: TickInput): RateSample | null {
    const prev = this.previous;
    this.previous = { atSeconds: input.atSeconds, totals: input.totals };
    if (prev === undefined) return null;
    const dt = input.atSeconds - prev.atSeconds;
    if (!(dt > 0)) return this.history.at(-1) ?? null;
    const a = prev.totals;
    const b = input.totals;
    const sum = (r: Readonly<Record<string, number>>) => Object.values(r).reduce((x, y) => x + y, 0);
    const sample = rateSample(input.atSeconds, dt, {
      numFinished: b.numFinished - a.numFinished,
      numInterTokenGaps: b.numInterTokenGaps - a.numInterTokenGaps,
      numPromptTokens: b.numPromptTokens - a.numPromptTokens,
      numGeneratedTokens: b.numGenerationTokens - a.numGenerationTokens,
      numRejected: sum(b.rejectedByReason) - sum(a.rejectedByReason),
      ttftSecondsSum: b.ttftSecondsSum - a.ttftSecondsSum,
      interTokenSecondsSum: b.interTokenSecondsSum - a.interTokenSecondsSum,
    });
    this.history.push(sample);
    if (this.history.length > HISTORY_SAMPLES) this.history.splice(0, this.history.length - HISTORY_SAMPLES);
    return sample;
  }

  private meanPromptTokens(input: TickInput): number | null {
    const recent = combineSamples(this.history.filter((s) => s.atSeconds > input.atSeconds - PROMPT_WINDOW_SECONDS));
    if (recent !== null && recent.numFinished > 0) return recent.numPromptTokens / recent.numFinished;
    const t = input.totals;
    return t.numFinished > 0 ? t.numPromptTokens / t.numFinished : null;
  }

  private workerView(w: WorkerInput, meanPromptTokens: number | null): WorkerView {
    const load = w.load;
    const decode = load && w.role !== 'prefill' ? decodePoint(load, this.model) : null;
    const prefill = load && meanPromptTokens !== null ? prefillPoint(load, this.model, meanPromptTokens) : null;
    if (decode) this.extend(`${w.workerId} decode`, decode);
    if (prefill) this.extend(`${w.workerId} prefill`, prefill);
    return {
      id: w.workerId,
      role: w.role,
      healthy: w.healthy,
      device: w.deviceId,
      running: load?.numRunningSequences ?? 0,
      waiting: load?.numWaitingSequences ?? 0,
      kvUsedBytes: load?.kvUsedBytes ?? 0,
      kvCapacityBytes: load?.kvCapacityBytes || w.kvCapacityBytes,
      prefill,
      decode,
    };
  }

  /** Appends a position to a trail when it moved (an idle worker does not fill its trail with copies). */
  private extend(key: TrailKey, p: PhasePoint): void {
    const trail = this.trails.get(key) ?? [];
    const last = trail.at(-1);
    const moved =
      last === undefined ||
      last.capacityFootprintBytes !== p.capacityFootprintBytes ||
      last.intensityFlopsPerByte !== p.intensityFlopsPerByte;
    if (!moved) return;
    trail.push(p);
    if (trail.length > TRAIL_POINTS) trail.splice(0, trail.length - TRAIL_POINTS);
    this.trails.set(key, trail);
  }

  private pruneTrails(present: ReadonlySet<string>): void {
    for (const key of this.trails.keys()) {
      const id = key.slice(0, key.lastIndexOf(' '));
      if (!present.has(id)) this.trails.delete(key);
    }
  }
}
