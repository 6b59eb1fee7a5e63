import type { CacheState } from '../step-time/fit-by-state.js';
import { type RepeatState, twoGroupSplit } from './cache-state.js';
import {
  DEFAULT_REPEAT_JUDGEMENT,
  type JudgedPoint,
  judgeRepeats,
  type RepeatJudgement,
  type RepeatRuns,
} from './point-repeats.js';

/** A repeat of a point with the cache state its probes recorded (cache-state.ts repeatState). */
export interface StateRepeat extends RepeatRuns {
  readonly state: RepeatState | null;
}

/** A point judged in each cache state separately (round 6, issue 12.3). */
export interface StateJudgedPoint {
  /** judgeRepeats over the repeats recorded in that state; absent when the point has none. */
  readonly byState: Partial<Record<CacheState, JudgedPoint>>;
  /** Repeats whose state changed during them (probe before and after disagree). */
  readonly numMixed: number;
  /** Repeats with no probe (measured before the probe existed). */
  readonly numUnknown: number;
}

/**
 * Judges a point once per cache state, on the repeats recorded in that state only, with the
 * same rules as judgeRepeats (point-repeats.ts): a point whose step time has one value per
 * state can be clean in each, and is clean in one and unjudged in the other when the host spent
 * too little of the measurement in that state. Mixed and unknown repeats count in neither.
 */
export function judgeByState(
  repeats: readonly StateRepeat[],
  judgement: RepeatJudgement = DEFAULT_REPEAT_JUDGEMENT,
): StateJudgedPoint {
  const byState: Partial<Record<CacheState, JudgedPoint>> = {};
  for (const state of ['cached', 'uncached'] as const) {
    const mine = repeats.filter((r) => r.state === state);
    if (mine.length > 0) byState[state] = judgeRepeats(mine, judgement);
  }
  return {
    byState,
    numMixed: repeats.filter((r) => r.state === 'mixed').length,
    numUnknown: repeats.filter((r) => r.state === null).length,
  };
}

/** How the probe's state matched a bimodal point's two clusters of repeat figures. */
export interface ClusterAgreement {
  /** Repeats in the fast cluster the probe called cached, and so on. */
  readonly fastCached: number;
  readonly fastUncached: number;
  readonly slowCached: number;
  readonly slowUncached: number;
}

/**
 * Splits a point's repeat figures into a fast and a slow cluster (twoGroupSplit on the seconds:
 * Otsu on log time, the cut at the widest between-cluster variance) and counts each cluster's
 * repeats by the state the probe recorded (mixed and unknown repeats are left out). The probe
 * predicts the cluster when fast ⇔ cached: fastCached + slowUncached over all.
 */
export function clusterAgreement(
  repeats: readonly { readonly seconds: number; readonly state: RepeatState | null }[],
): ClusterAgreement {
  const split = twoGroupSplit(repeats.map((r) => r.seconds));
  const count = (fast: boolean, state: CacheState) =>
    repeats.filter((r) => r.state === state && r.seconds < split.threshold === fast).length;
  return {
    fastCached: count(true, 'cached'),
    fastUncached: count(true, 'uncached'),
    slowCached: count(false, 'cached'),
    slowUncached: count(false, 'uncached'),
  };
}
