// Ranking: the simulated candidates by what the twin measured, then the rest by the screen's estimate, then
// the ranked-out configurations with their reasons. Ties break by enumeration index, so every run (and every
// merge of shards) orders the same results the same way.
import type { ObjectiveKey, Objectives, RankedOut, RegimeMix, ScreenResult } from '../analytic/screen-types.js';
import type { SimOutcome } from '../sim/sim-outcome.js';

export interface RankedEntry {
  /** 1-based rank among ranked configurations; null when ranked out. */
  readonly rank: number | null;
  readonly index: number;
  readonly id: string;
  /** Which stage's figures rank it. */
  readonly stage: 'simulated' | 'analytic';
  readonly objectives: Objectives;
  readonly regimeMix: RegimeMix;
  readonly kvTierShares: Readonly<Record<string, number>>;
  readonly ttftP99Seconds: number | null;
  readonly usdPerHour: number;
  readonly typicalWatts: number;
  readonly numAccelerators: number;
  readonly out: RankedOut | null;
  readonly why: string;
  readonly screen: ScreenResult;
  readonly sim: SimOutcome | null;
}

const byObjective = (key: ObjectiveKey) => (a: { objectives: Objectives; index: number }, b: typeof a) =>
  b.objectives[key] - a.objectives[key] || a.index - b.index;

/** The configurations the twin should simulate: the best `count` the screen ranked, by `key`. */
export function topCandidates(screened: readonly ScreenResult[], key: ObjectiveKey, count: number): ScreenResult[] {
  return screened
    .filter((r) => r.out === null)
    .sort(byObjective(key))
    .slice(0, count);
}

export function rankConfigurations(
  screened: readonly ScreenResult[],
  simulated: ReadonlyMap<number, SimOutcome>,
  key: ObjectiveKey,
): RankedEntry[] {
  const entries = screened.map((s): Omit<RankedEntry, 'rank'> => {
    const sim = simulated.get(s.index) ?? null;
    return {
      index: s.index,
      id: s.id,
      stage: sim !== null ? 'simulated' : 'analytic',
      objectives: sim?.objectives ?? s.objectives,
      regimeMix: sim?.regimeMix ?? s.regimeMix,
      kvTierShares: sim?.kvTierShares ?? s.kvTierShares,
      ttftP99Seconds: sim?.ttftP99Seconds ?? s.estimate?.ttftP99Seconds ?? null,
      usdPerHour: s.usdPerHour,
      typicalWatts: s.typicalWatts,
      numAccelerators: s.numAccelerators,
      out: s.out,
      why: sim !== null && sim.why !== '' ? sim.why : s.why,
      screen: s,
      sim,
    };
  });
  const ranked = entries.filter((e) => e.out === null);
  const simFirst = [
    ...ranked.filter((e) => e.stage === 'simulated').sort(byObjective(key)),
    ...ranked.filter((e) => e.stage === 'analytic').sort(byObjective(key)),
  ];
  const outs = entries.filter((e) => e.out !== null).sort((a, b) => a.index - b.index);
  return [...simFirst.map((e, i) => ({ ...e, rank: i + 1 })), ...outs.map((e) => ({ ...e, rank: null }))];
}
