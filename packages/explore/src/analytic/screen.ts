// The analytic screen of one configuration: @oicf/core step times (instance-model.ts), KV over tiers
// (tiered-kv.ts), decode batches by Little's law (decode-solve.ts), the prefill pool as a queue
// (prefill-solve.ts, queueing.ts), prefix reuse from the workload's reuse curve. It estimates the share of
// requests meeting both SLOs, hence goodput, and reports regimes, KV tiers, plane points and a why line.
import { configCost } from '../economics/config-cost.js';
import type { Configuration, ExploreSpace, TierOption } from '../space/space-types.js';
import { hitFraction, type WorkloadProfile } from '../workload/workload-profile.js';
import { type DecodeGroupSolution, isRankedOut, solveDecodeGroup } from './decode-solve.js';
import type { InstanceModels } from './instance-model.js';
import { objectivesOf, ZERO_OBJECTIVES } from './objectives.js';
import { solvePrefillPool } from './prefill-solve.js';
import { attainmentWithin, quantileOf, utilization } from './queueing.js';
import { accountKv, accountRegimes, planePoints } from './screen-accounting.js';
import type { RankedOut, Retention, ScreenResult, Slo } from './screen-types.js';
import { whyLine } from './why.js';

/** Policies that send a session's next turn to the instance holding its prefix (so its HBM copy is reused). */
export const PREFIX_AFFINITY_POLICIES: ReadonlySet<string> = new Set(['prefix-aware', 'oicf-cost']);

/** Tokens a colocated instance prefills per engine step (the worker's maxPrefillTokensPerStep default). */
export const PREFILL_CHUNK_TOKENS = 512;

export interface ScreenContext {
  readonly space: ExploreSpace;
  readonly profile: WorkloadProfile;
  readonly slo: Slo;
  readonly models: InstanceModels;
}

/**
 * Numbers in results keep 6 significant digits and non-finite ones become null (as JSON stores them): what a
 * result file stores is exactly what ranked it, so a merge of shard files ranks as the unsharded run did
 * (and the files stay about half as large).
 */
export function roundResult<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? Number(value.toPrecision(6)) : null) as T;
  if (Array.isArray(value)) return value.map(roundResult) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = roundResult(v);
    return out as T;
  }
  return value;
}

/** Utilizations are reported up to this (an empty pool is infinitely overloaded). */
const UTILIZATION_CAP = 1e6;

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function screenConfiguration(config: Configuration, ctx: ScreenContext): ScreenResult {
  return roundResult(screenExact(config, ctx));
}

function screenExact(config: Configuration, ctx: ScreenContext): ScreenResult {
  const { space, profile, slo } = ctx;
  const cost = configCost(config, space.devices);
  const base = {
    index: config.index,
    id: config.id,
    usdPerHour: cost.usdPerHour,
    typicalWatts: cost.typicalWatts,
    tdpWatts: cost.tdpWatts,
    numAccelerators: cost.numAccelerators,
  };
  const outResult = (out: RankedOut): ScreenResult => ({
    ...base,
    out,
    estimate: null,
    objectives: ZERO_OBJECTIVES,
    regimeMix: { compute: 0, bandwidth: 0, capacity: 0 },
    kvTierShares: {},
    plane: [],
    why: out.text,
  });
  const budget = space.budget;
  if (budget.usdPerHour !== null && cost.usdPerHour > budget.usdPerHour) {
    return outResult({
      kind: 'budget',
      text: `over budget: $${cost.usdPerHour.toFixed(2)}/h > $${budget.usdPerHour}/h`,
    });
  }
  if (budget.watts !== null && cost.typicalWatts > budget.watts) {
    return outResult({ kind: 'budget', text: `over budget: ${Math.round(cost.typicalWatts)} W > ${budget.watts} W` });
  }
  const lambda = profile.arrivalRatePerSecond;
  const out = profile.meanOutputTokens;
  const solveDecode = (interleaveSeconds: number): DecodeGroupSolution[] | RankedOut => {
    const first: (DecodeGroupSolution | RankedOut)[] = config.decode.map((g) =>
      solveDecodeGroup(g, ctx.models.get(g.deviceId, g.tp), {
        tiers: config.tiers,
        tpotSloSeconds: slo.tpotSeconds,
        maxBatch: space.maxBatch,
        requestsPerSecond: lambda / totalInstances(config),
        meanOutputTokens: out,
        interleaveSeconds,
      }),
    );
    const ok = first.filter((x): x is DecodeGroupSolution => !isRankedOut(x));
    if (ok.length === 0) return first[0] as RankedOut;
    // Traffic follows capacity: each group's share of the pool's token throughput at its cap.
    let total = 0;
    for (const s of ok) total += s.group.count * s.maxTokensPerSecond;
    return ok.map((s) => {
      const perInstance = (lambda * ((s.group.count * s.maxTokensPerSecond) / total)) / s.group.count;
      return solveDecodeGroup(s.group, s.model, {
        tiers: config.tiers,
        tpotSloSeconds: slo.tpotSeconds,
        maxBatch: space.maxBatch,
        requestsPerSecond: perInstance,
        meanOutputTokens: out,
        interleaveSeconds,
      }) as DecodeGroupSolution;
    });
  };
  // Colocated, prefill shares the decode instances: solve decode, then prefill at the hit the left-over HBM
  // allows (chunks interleaved with decode steps), then decode again with the chunks it waits behind, twice
  // (each pass moves batch and hit less).
  let decode = solveDecode(0);
  if (isRankedOut(decode)) return outResult(decode);
  const poolTier: TierOption | undefined = config.tiers[0];
  const prefillGroups = config.mode === 'colocated' ? config.decode : config.prefill;
  const passes = config.mode === 'colocated' ? 2 : 1;
  let retention = retentionTokens(config, decode);
  let capacityTokens = 0;
  let hit = 0;
  let prefill: ReturnType<typeof solvePrefillPool> | undefined;
  let prefillUtil = 0;
  for (let pass = 0; pass < passes; pass++) {
    retention = retentionTokens(config, decode);
    capacityTokens = retention.hbmTokens + retention.poolTokens;
    hit = hitFraction(profile.reuse, capacityTokens);
    prefill = solvePrefillPool(prefillGroups, ctx.models, {
      bins: profile.bins,
      hit,
      poolShareOfHits: capacityTokens > 0 ? retention.poolTokens / capacityTokens : 0,
      poolTier,
      arrivalsPerSecond: lambda,
      runSeconds: profile.durationSeconds,
      chunked:
        config.mode === 'colocated'
          ? { chunkTokens: PREFILL_CHUNK_TOKENS, decodeStepSeconds: (decode[0] as DecodeGroupSolution).step.seconds }
          : null,
    });
    prefillUtil = utilization(prefill.queue);
    if (config.mode === 'colocated') {
      decode = solveDecode(prefill.pendingShare * prefill.meanChunkSeconds);
      if (isRankedOut(decode)) return outResult(decode);
    }
  }
  if (prefill === undefined) throw new Error('screen: no prefill pass');
  const groups = decode;
  const share = (s: DecodeGroupSolution) => (s.demandTokensPerSecond * s.group.count) / (lambda * out);
  let tpotFactor = 0;
  let queueFactor = 0;
  for (const s of groups) {
    const w = share(s);
    tpotFactor += w * (s.tpotSeconds <= slo.tpotSeconds ? 1 : 0);
    const slack = Math.max(0, (slo.tpotSeconds - s.tpotSeconds) * out);
    queueFactor += w * (s.utilization <= 1 ? 1 : Math.min(1, slack / ((s.utilization - 1) * profile.durationSeconds)));
  }
  const contextFit = contextFitShare(ctx, groups, config.tiers) * (1 - prefill.unfitShare);
  const ttftFactor =
    attainmentWithin(prefill.queue, prefill.classes, slo.ttftSeconds) / Math.max(1e-9, 1 - prefill.unfitShare);
  const factors = {
    ttft: Math.min(1, ttftFactor),
    tpot: tpotFactor,
    decodeQueue: queueFactor,
    contextFit,
  };
  const attainment = factors.ttft * factors.tpot * factors.decodeQueue * factors.contextFit;
  const lead = groups[0] as DecodeGroupSolution;
  const estimate = {
    attainment,
    ttftP99Seconds: finiteOrNull(quantileOf(prefill.queue, prefill.classes, 0.99)),
    tpotSeconds: Math.max(...groups.map((s) => s.tpotSeconds)),
    prefillUtilization: Math.min(prefillUtil, UTILIZATION_CAP),
    decodeUtilization: Math.min(Math.max(...groups.map((s) => s.utilization)), UTILIZATION_CAP),
    decodeBatch: lead.batch,
    batchMaxHbm: lead.batchMaxHbm,
    batchMaxWithTiers: lead.batchMaxWithTiers,
    batchCap: lead.batchCap,
    batchCapBy: lead.batchCapBy,
    runningTierBytes: runningTierBytes(groups),
    prefixHitFraction: hit,
    factors,
  };
  const goodput = lambda * attainment;
  const objectives = objectivesOf(goodput, out, cost.usdPerHour, cost.typicalWatts);
  const regimeMix = accountRegimes(config, groups, prefill, profile, hit, out);
  const kvTierShares = accountKv(config, groups, retention, capacityTokens, profile, hit);
  const result: ScreenResult = {
    ...base,
    out: null,
    estimate,
    objectives,
    regimeMix,
    kvTierShares,
    plane: planePoints(groups, prefill, profile),
    why: '',
  };
  if (goodput <= 0) {
    const why = whyLine(config, result, groups, slo, prefillComputeShare(prefill.computeBound, profile));
    return { ...result, out: { kind: attainment === 0 && factors.tpot === 0 ? 'slo' : 'no-goodput', text: why }, why };
  }
  return { ...result, why: whyLine(config, result, groups, slo, prefillComputeShare(prefill.computeBound, profile)) };
}

function totalInstances(config: Configuration): number {
  let n = 0;
  for (const g of config.decode) n += g.count;
  return n;
}

function retentionTokens(config: Configuration, groups: readonly DecodeGroupSolution[]): Retention {
  let hbm = 0;
  let pool = 0;
  let numDecode = 0;
  let spill = 0;
  let bpt = 0;
  for (const s of groups) {
    const m = s.model;
    bpt = m.kvBytesPerToken;
    numDecode += s.group.count * s.group.tp;
    spill += s.group.count * s.step.spillBytes;
    const free = Math.max(0, m.hbmFreeBytes - s.batch * m.decodeContextTokens * m.kvBytesPerTokenDomain);
    hbm += (s.group.count * free) / m.kvBytesPerTokenDomain;
  }
  for (const t of config.tiers) pool += t.capacityBytes * numDecode;
  pool = Math.max(0, pool - spill) / Math.max(1, bpt);
  const affinity = PREFIX_AFFINITY_POLICIES.has(config.policy);
  const colocated = config.mode === 'colocated';
  return { hbmTokens: colocated ? (affinity ? hbm : hbm / Math.max(1, totalInstances(config))) : 0, poolTokens: pool };
}

/** Share of requests whose whole context fits one decode instance of some group (with its tiers). */
function contextFitShare(
  ctx: ScreenContext,
  groups: readonly DecodeGroupSolution[],
  tiers: readonly TierOption[],
): number {
  let fit = 0;
  for (const bin of ctx.profile.bins) {
    const fits =
      bin.maxContextTokens <= ctx.space.model.maxContextTokens &&
      groups.some((s) => {
        let room = s.model.hbmFreeBytes;
        for (const t of tiers) room += t.capacityBytes * s.model.tp;
        return bin.maxContextTokens * s.model.kvBytesPerTokenDomain <= room;
      });
    if (fits) fit += bin.share;
  }
  return fit;
}

function runningTierBytes(groups: readonly DecodeGroupSolution[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of groups) {
    for (const [tier, bytes] of Object.entries(s.step.kvBytesByTier)) {
      if (tier !== 'hbm') out[tier] = (out[tier] ?? 0) + s.group.count * bytes;
    }
  }
  return out;
}

function prefillComputeShare(computeBound: readonly boolean[], profile: WorkloadProfile): number {
  let share = 0;
  profile.bins.forEach((bin, b) => {
    if (computeBound[b]) share += bin.share;
  });
  return share;
}
