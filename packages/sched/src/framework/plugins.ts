import type { RouteContext, RouteRequest, WorkerState } from '../types.js';

/** Drops workers that cannot take the request. Returns true to keep. */
export interface Filter {
  readonly name: string;
  keep(worker: WorkerState, request: RouteRequest, context: RouteContext): boolean;
}

/** Scores a worker in [0, 1]; higher is better. */
export interface Scorer {
  readonly name: string;
  score(worker: WorkerState, request: RouteRequest, context: RouteContext): number;
}

export interface ScoredWorker {
  readonly worker: WorkerState;
  /** Weighted mean of the scorers, in [0, 1]. */
  readonly score: number;
}

/** Chooses one of the scored candidates (never called with an empty list). */
export interface Picker {
  readonly name: string;
  pick(candidates: readonly ScoredWorker[]): ScoredWorker;
}

/** One selection pass (llm-d's scheduling profile): filter → score → pick. */
export interface Profile {
  readonly filters: readonly Filter[];
  readonly scorers: readonly { readonly scorer: Scorer; readonly weight: number }[];
  readonly picker: Picker;
}

export type ProfileOutcome =
  | { readonly kind: 'picked'; readonly picked: ScoredWorker }
  /** Every candidate was dropped; `filter` names the first filter that left none. */
  | { readonly kind: 'none'; readonly filter: string };

export function runProfile(
  profile: Profile,
  candidates: readonly WorkerState[],
  request: RouteRequest,
  context: RouteContext,
): ProfileOutcome {
  let remaining = candidates;
  for (const filter of profile.filters) {
    remaining = remaining.filter((w) => filter.keep(w, request, context));
    if (remaining.length === 0) return { kind: 'none', filter: filter.name };
  }
  if (remaining.length === 0) return { kind: 'none', filter: 'no-candidates' };
  const totalWeight = profile.scorers.reduce((s, x) => s + x.weight, 0);
  const scored = remaining.map((worker) => {
    if (totalWeight === 0) return { worker, score: 0 };
    let sum = 0;
    for (const { scorer, weight } of profile.scorers) {
      const s = scorer.score(worker, request, context);
      if (!(s >= 0 && s <= 1))
        throw new Error(`scorer ${scorer.name} returned ${s} for ${worker.workerId}; scores lie in [0, 1]`);
      sum += weight * s;
    }
    return { worker, score: sum / totalWeight };
  });
  return { kind: 'picked', picked: profile.picker.pick(scored) };
}
