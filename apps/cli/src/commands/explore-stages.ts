// The two stages of `oicf explore` with progress and Ctrl-C: (a) the analytic screen over this run's
// configurations (in batches on this thread, or index slices on worker threads), (b) the twin on the best
// `simulateTop` (one at a time on this thread, yielding between event batches, or one per worker thread).
// A Ctrl-C keeps what finished: screened results, and twin runs that completed.
import {
  type Configuration,
  ConfigurationSimulation,
  type ExploreSpace,
  type ObjectiveKey,
  type ScreenResult,
  type SimOutcome,
  type Slo,
  screenBatch,
  screenContext,
  topCandidates,
  type WorkloadProfile,
} from '@oicf/explore';
import { ExploreWorkerPool } from '@oicf/explore/node';
import type { TraceRequest } from '@oicf/traces';
import type { ExploreProgress } from './explore-progress.js';

export interface StageInputs {
  readonly space: ExploreSpace;
  readonly spaceJson: unknown;
  /** This run's configurations (all, or one shard's). */
  readonly configs: readonly Configuration[];
  readonly profile: WorkloadProfile;
  readonly requests: readonly TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly slo: Slo;
  readonly seed: number;
  readonly workers: number;
  readonly simulateTop: number;
  readonly objective: ObjectiveKey;
  readonly signal: AbortSignal;
  readonly progress: ExploreProgress;
}

export interface StageResults {
  readonly screened: ScreenResult[];
  readonly simulated: SimOutcome[];
  readonly interrupted: boolean;
}

const SCREEN_BATCH = 500;
const yieldToEvents = () => new Promise<void>((r) => setImmediate(r));

export async function runStages(input: StageInputs): Promise<StageResults> {
  const pool =
    input.workers > 1
      ? new ExploreWorkerPool(input.workers, {
          spaceJson: input.spaceJson,
          requests: input.requests,
          loop: input.loop,
          slo: input.slo,
          seed: input.seed,
        })
      : null;
  try {
    const screened = pool === null ? await screenHere(input) : await screenOnWorkers(input, pool);
    if (input.signal.aborted) return { screened, simulated: [], interrupted: true };
    const candidates = topCandidates(screened, input.objective, input.simulateTop);
    if (candidates.length === 0) return { screened, simulated: [], interrupted: false };
    const simulated =
      pool === null ? await simulateHere(input, candidates) : await simulateOnWorkers(input, candidates, pool);
    simulated.sort((a, b) => a.index - b.index);
    return { screened, simulated, interrupted: input.signal.aborted };
  } finally {
    input.progress.end();
    await pool?.close();
  }
}

async function screenHere(input: StageInputs): Promise<ScreenResult[]> {
  const ctx = screenContext(input.space, input.profile, input.slo);
  const out: ScreenResult[] = [];
  input.progress.begin('screen', input.configs.length);
  for (let from = 0; from < input.configs.length; from += SCREEN_BATCH) {
    out.push(...screenBatch(input.configs, ctx, from, from + SCREEN_BATCH));
    input.progress.update(out.length);
    await yieldToEvents();
    if (input.signal.aborted) break;
  }
  return out;
}

async function screenOnWorkers(input: StageInputs, pool: ExploreWorkerPool): Promise<ScreenResult[]> {
  const chunks: number[][] = [];
  for (let from = 0; from < input.configs.length; from += SCREEN_BATCH * 2) {
    chunks.push(input.configs.slice(from, from + SCREEN_BATCH * 2).map((c) => c.index));
  }
  const out: ScreenResult[] = [];
  input.progress.begin('screen', input.configs.length);
  const stopped = new Promise<void>((resolve) =>
    input.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  const all = Promise.all(
    chunks.map((indices) =>
      pool.screen(indices).then((results) => {
        out.push(...results);
        input.progress.update(out.length);
      }),
    ),
  ).catch((err: Error) => {
    if (!input.signal.aborted) throw err;
  });
  await Promise.race([all, stopped]);
  return out.sort((a, b) => a.index - b.index);
}

async function simulateHere(input: StageInputs, candidates: readonly ScreenResult[]): Promise<SimOutcome[]> {
  const ctx = screenContext(input.space, input.profile, input.slo);
  const byIndex = new Map(input.configs.map((c) => [c.index, c]));
  const out: SimOutcome[] = [];
  input.progress.begin('simulate', candidates.length);
  for (const [k, s] of candidates.entries()) {
    const config = byIndex.get(s.index) as Configuration;
    const sim = new ConfigurationSimulation(config, s, {
      space: input.space,
      models: ctx.models,
      requests: input.requests,
      loop: input.loop,
      slo: input.slo,
      seed: input.seed,
    });
    for (;;) {
      const done = sim.advance(20_000);
      input.progress.update(k + sim.progress(), `#${k + 1} ${config.id}`);
      if (done) break;
      await yieldToEvents();
      if (input.signal.aborted) return out;
    }
    out.push(sim.outcome());
    input.progress.update(k + 1);
  }
  return out;
}

async function simulateOnWorkers(
  input: StageInputs,
  candidates: readonly ScreenResult[],
  pool: ExploreWorkerPool,
): Promise<SimOutcome[]> {
  const out: SimOutcome[] = [];
  const running = new Map<number, number>();
  input.progress.begin('simulate', candidates.length);
  const draw = () => {
    let partial = 0;
    for (const f of running.values()) partial += f;
    input.progress.update(out.length + partial, `${running.size} running`);
  };
  const stopped = new Promise<void>((resolve) =>
    input.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  const all = Promise.all(
    candidates.map((s) =>
      pool
        .simulate(s.index, s, (f) => {
          running.set(s.index, f);
          draw();
        })
        .then((o) => {
          running.delete(s.index);
          if (o !== null) out.push(o);
          draw();
        }),
    ),
  ).catch((err: Error) => {
    if (!input.signal.aborted) throw err;
  });
  await Promise.race([all, stopped]);
  return out;
}
