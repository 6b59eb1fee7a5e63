// A whole explore run (or one shard of it) on this thread, start to end: what the CLI does without progress,
// workers or Ctrl-C. Tests, benchmarks and the hypothesis scripts call it; the CLI builds the same file.

import type { TraceRequest } from '@oicf/traces';
import type { ObjectiveKey, ScreenResult, Slo } from '../analytic/screen-types.js';
import { topCandidates } from '../rank/rank.js';
import type { SimOutcome } from '../sim/sim-outcome.js';
import { simulateConfiguration } from '../sim/simulate-configuration.js';
import { enumerateConfigurations, shardOf } from '../space/enumerate.js';
import type { ExploreSpace } from '../space/space-types.js';
import { profileWorkload, type WorkloadProfile } from '../workload/workload-profile.js';
import { EXPLORE_FORMAT, EXPLORE_VERSION, type ExploreResultFile, fnv1a, workloadSummary } from './result-file.js';
import { screenAll, screenContext } from './screen-all.js';

export interface ExploreRunInputs {
  readonly space: ExploreSpace;
  /** The space as given (its fingerprint ties shards to one space). */
  readonly spaceJson: unknown;
  readonly requests: readonly TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly workloadLabel: string;
  readonly slo: Slo;
  readonly seed: number;
  readonly objective: ObjectiveKey;
  readonly simulateTop: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly command: string;
}

/** The result file of a run whose stages produced `screened` and `simulated`. */
export function resultFile(
  input: ExploreRunInputs,
  profile: WorkloadProfile,
  screened: readonly ScreenResult[],
  simulated: readonly SimOutcome[],
  interrupted: boolean,
): ExploreResultFile {
  return {
    format: EXPLORE_FORMAT,
    version: EXPLORE_VERSION,
    command: input.command,
    space: {
      name: input.space.name,
      description: input.space.description,
      numConfigurations: enumerateConfigurations(input.space).length,
      fingerprint: fnv1a(JSON.stringify(input.spaceJson)),
      skipped: input.space.skipped,
    },
    workload: {
      ...workloadSummary(input.workloadLabel, profile, input.loop),
      fingerprint: fnv1a(JSON.stringify(input.requests)),
    },
    slo: input.slo,
    objective: input.objective,
    simulateTop: input.simulateTop,
    shard: input.shard,
    interrupted,
    screened: [...screened],
    simulated: [...simulated].sort((a, b) => a.index - b.index),
  };
}

export function exploreSync(input: ExploreRunInputs): ExploreResultFile {
  const profile = profileWorkload(input.requests);
  const all = enumerateConfigurations(input.space);
  const configs = input.shard === null ? all : shardOf(all, input.shard.index, input.shard.count);
  const ctx = screenContext(input.space, profile, input.slo);
  const screened = screenAll(configs, ctx);
  const simulated: SimOutcome[] = [];
  for (const s of topCandidates(screened, input.objective, input.simulateTop)) {
    const config = all[s.index];
    if (config === undefined) continue;
    const o = simulateConfiguration(config, s, {
      space: input.space,
      models: ctx.models,
      requests: input.requests,
      loop: input.loop,
      slo: input.slo,
      seed: input.seed,
    });
    if (o !== null) simulated.push(o);
  }
  return resultFile(input, profile, screened, simulated, false);
}
