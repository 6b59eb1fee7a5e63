// Stage (a): the analytic screen over a list of configurations, in batches so a host can draw progress and
// stop between them (Ctrl-C keeps what was screened).
import { InstanceModels } from '../analytic/instance-model.js';
import { type ScreenContext, screenConfiguration } from '../analytic/screen.js';
import type { ScreenResult, Slo } from '../analytic/screen-types.js';
import type { Configuration, ExploreSpace } from '../space/space-types.js';
import type { WorkloadProfile } from '../workload/workload-profile.js';

export function screenContext(space: ExploreSpace, profile: WorkloadProfile, slo: Slo): ScreenContext {
  return {
    space,
    profile,
    slo,
    models: new InstanceModels(space.model, space.precision, space.devices, profile.decodeContextTokens),
  };
}

/** Screens `configs[from, to)`; the context's instance models are shared and grow as kinds are seen. */
export function screenBatch(
  configs: readonly Configuration[],
  ctx: ScreenContext,
  from: number,
  to: number,
): ScreenResult[] {
  const out: ScreenResult[] = [];
  for (let i = from; i < Math.min(to, configs.length); i++)
    out.push(screenConfiguration(configs[i] as Configuration, ctx));
  return out;
}

/** Screens every configuration synchronously (tests, workers, benchmarks). */
export function screenAll(configs: readonly Configuration[], ctx: ScreenContext): ScreenResult[] {
  return screenBatch(configs, ctx, 0, configs.length);
}
