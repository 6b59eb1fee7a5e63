// The prefill pool of a configuration (the prefill role, or the decode instances when colocated): each
// request bin's service time at the prefix-hit level the tiers allow, the pool as one queue, and the time to
// fetch a cached prefix from the nearest pool tier.
import type { InstanceGroup, TierOption } from '../space/space-types.js';
import type { RequestBin } from '../workload/workload-profile.js';
import { type InstanceModel, type InstanceModels, stepSeconds } from './instance-model.js';
import type { Pool, RequestClass } from './queueing.js';

export interface PrefillPool {
  readonly queue: Pool;
  /** Per bin: prefill + prefix fetch seconds once a server takes it. */
  readonly classes: readonly RequestClass[];
  /** Per bin: prefill seconds alone (pool-weighted). */
  readonly prefillSeconds: readonly number[];
  /** Share of requests whose prompt KV does not fit a prefill instance (they fail). */
  readonly unfitShare: number;
  /** The first group's model (for planes and regimes). */
  readonly lead: InstanceModel;
  /** Per bin: true when the step is compute-bound at this hit level (lead kind). */
  readonly computeBound: readonly boolean[];
  /** Colocated: mean seconds of one prefill chunk, and the share of time a prompt is pending (≤ 1). */
  readonly meanChunkSeconds: number;
  readonly pendingShare: number;
}

export interface PrefillInputs {
  readonly bins: readonly RequestBin[];
  readonly hit: number;
  /** Share of cached prefix tokens fetched from a pool tier (the rest is already in the instance). */
  readonly poolShareOfHits: number;
  /** The pool tier reads come from (nearest), or undefined. */
  readonly poolTier: TierOption | undefined;
  readonly arrivalsPerSecond: number;
  readonly runSeconds: number;
  /**
   * Colocated (null when disaggregated): the engine prefills a prompt in chunks of `chunkTokens`, each
   * followed by a decode step of the running batch (`decodeStepSeconds`) while sequences run, so a prompt
   * occupies the engine's prefill lane for chunks × (chunk + decode step).
   */
  readonly chunked: { readonly chunkTokens: number; readonly decodeStepSeconds: number } | null;
}

export function solvePrefillPool(
  groups: readonly InstanceGroup[],
  models: InstanceModels,
  input: PrefillInputs,
): PrefillPool {
  const kinds = groups.map((g) => ({ g, m: models.get(g.deviceId, g.tp) }));
  const lead = (kinds[0] as (typeof kinds)[number]).m;
  let servers = 0;
  for (const { g } of kinds) servers += g.count;
  const prefillSeconds: number[] = [];
  const classes: RequestClass[] = [];
  const computeBound: boolean[] = [];
  let unfit = 0;
  let weighted = 0;
  let share = 0;
  let chunkSum = 0;
  let chunkCount = 0;
  input.bins.forEach((bin, b) => {
    // Servers of several kinds share the queue: each takes work in proportion to its speed, so the mean
    // service is count-weighted harmonic: Σ n ÷ Σ (n ÷ s).
    let rate = 0;
    let n = 0;
    for (const { g, m } of kinds) {
      if (!m.weightsFit || bin.maxContextTokens * m.kvBytesPerTokenDomain > m.hbmFreeBytes) continue;
      rate += g.count / m.prefillSeconds(b, bin, input.hit);
      n += g.count;
    }
    if (n === 0) {
      unfit += bin.share;
      prefillSeconds.push(Number.POSITIVE_INFINITY);
      classes.push({ share: bin.share, fixedSeconds: Number.POSITIVE_INFINITY });
      computeBound.push(true);
      return;
    }
    const cachedTokens = input.hit * bin.reusableTokens;
    let s = n / rate;
    const chunked = input.chunked;
    if (chunked !== null) {
      const fresh = Math.max(1, bin.inputTokens - cachedTokens);
      const chunks = Math.ceil(fresh / chunked.chunkTokens);
      const mid = Math.round(cachedTokens + fresh / 2);
      const chunk = lead.memoize(`chunk|${chunked.chunkTokens}|${Math.round(mid / 256)}`, () =>
        stepSeconds(lead.prefillPartsOf(chunked.chunkTokens, mid)),
      );
      s = chunks * (chunk + chunked.decodeStepSeconds);
      chunkSum += bin.share * chunks * chunk;
      chunkCount += bin.share * chunks;
    }
    const tier = input.poolTier;
    const fetch =
      tier === undefined
        ? 0
        : (input.poolShareOfHits * cachedTokens * lead.kvBytesPerToken) / (tier.bandwidthBytesPerSecond * lead.tp) +
          (cachedTokens > 0 ? tier.latencySeconds : 0);
    prefillSeconds.push(s);
    classes.push({ share: bin.share, fixedSeconds: s + fetch });
    const level = input.hit < 0.25 ? 0 : input.hit < 0.75 ? 0.5 : 1;
    const p = lead.prefillParts(b, bin, level);
    computeBound.push(p.computeSeconds >= p.memorySeconds);
    weighted += bin.share * s;
    share += bin.share;
  });
  const meanService = share > 0 ? weighted / share : Number.POSITIVE_INFINITY;
  const pending = servers > 0 ? (input.arrivalsPerSecond * share * meanService) / servers : 1;
  return {
    meanChunkSeconds: chunkCount > 0 ? chunkSum / chunkCount : 0,
    pendingShare: Math.min(1, pending),
    queue: {
      servers,
      arrivalsPerSecond: input.arrivalsPerSecond * share,
      serviceSeconds: meanService,
      runSeconds: input.runSeconds,
    },
    classes,
    prefillSeconds,
    unfitShare: unfit,
    lead,
    computeBound,
  };
}
