// explore.json: one run's (or one shard's) results. Shards write the same format with `shard` set;
// `oicf explore merge` joins them into the file an unsharded run would have written.
import type { ObjectiveKey, ScreenResult, Slo } from '../analytic/screen-types.js';
import { type RankedEntry, rankConfigurations } from '../rank/rank.js';
import type { SimOutcome } from '../sim/sim-outcome.js';
import type { WorkloadProfile } from '../workload/workload-profile.js';

export const EXPLORE_FORMAT = 'oicf-explore';
export const EXPLORE_VERSION = 1;

export interface WorkloadSummary {
  readonly label: string;
  readonly numRequests: number;
  readonly durationSeconds: number;
  readonly arrivalRatePerSecond: number;
  readonly meanInputTokens: number;
  readonly meanOutputTokens: number;
  readonly decodeContextTokens: number;
  readonly maxContextTokens: number;
  readonly loop: 'open' | 'closed';
}

/** A ranked row without the nested screen and twin records (those are in `screened` and `simulated`). */
export type RankedRow = Omit<RankedEntry, 'screen' | 'sim'>;

export interface ExploreResultFile {
  readonly format: typeof EXPLORE_FORMAT;
  readonly version: typeof EXPLORE_VERSION;
  readonly command: string;
  readonly space: {
    readonly name: string;
    readonly description: string;
    readonly numConfigurations: number;
    /** FNV-1a of the space as parsed: shards of one run share it. */
    readonly fingerprint: string;
    readonly skipped: readonly string[];
  };
  readonly workload: WorkloadSummary & { readonly fingerprint: string };
  readonly slo: Slo;
  readonly objective: ObjectiveKey;
  readonly simulateTop: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  /** True when Ctrl-C stopped the run: the ranking is partial. */
  readonly interrupted: boolean;
  readonly screened: readonly ScreenResult[];
  readonly simulated: readonly SimOutcome[];
}

export function workloadSummary(label: string, p: WorkloadProfile, loop: 'open' | 'closed'): WorkloadSummary {
  return {
    label,
    numRequests: p.numRequests,
    durationSeconds: p.durationSeconds,
    arrivalRatePerSecond: p.arrivalRatePerSecond,
    meanInputTokens: p.meanInputTokens,
    meanOutputTokens: p.meanOutputTokens,
    decodeContextTokens: p.decodeContextTokens,
    maxContextTokens: p.maxContextTokens,
    loop,
  };
}

/** FNV-1a (32-bit) of a string, as 8 hex digits: a fingerprint, not a security hash. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function toRows(entries: readonly RankedEntry[]): RankedRow[] {
  return entries.map(({ screen: _s, sim: _m, ...row }) => row);
}

/** The ranked rows of a result file (recomputed from its screened and simulated results: nothing stored twice). */
export function rankedRows(file: Pick<ExploreResultFile, 'screened' | 'simulated' | 'objective'>): RankedRow[] {
  return toRows(rankingOf(file.screened, file.simulated, file.objective));
}

/** The ranking of a file's screened and simulated results. */
export function rankingOf(
  screened: readonly ScreenResult[],
  simulated: readonly SimOutcome[],
  objective: ObjectiveKey,
): RankedEntry[] {
  return rankConfigurations(screened, new Map(simulated.map((s) => [s.index, s])), objective);
}
