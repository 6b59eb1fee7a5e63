// One decode group of a configuration: how large its batch may grow (KV capacity with tiers, the TPOT SLO,
// the engine's limit), the batch it runs at to carry its share of the workload's output tokens (Little's law:
// the smallest B whose tokens per second B ÷ step(B) meet the demand), and whether it keeps up.
import type { InstanceGroup, TierOption } from '../space/space-types.js';
import type { InstanceModel } from './instance-model.js';
import type { RankedOut } from './screen-types.js';
import { decodeBatchMax, type TieredStep, tieredDecodeStep } from './tiered-kv.js';

export interface DecodeGroupSolution {
  readonly group: InstanceGroup;
  readonly model: InstanceModel;
  readonly batchMaxHbm: number;
  readonly batchMaxWithTiers: number;
  readonly batchCap: number;
  readonly batchCapBy: 'capacity' | 'tpot' | 'engine';
  /** Batch it runs at (the cap when it cannot keep up). */
  readonly batch: number;
  readonly step: TieredStep;
  /** Output tokens per second one instance must produce. */
  readonly demandTokensPerSecond: number;
  /** Demand ÷ what one instance produces at its cap (> 1: it falls behind). */
  readonly utilization: number;
  /** Seconds per output token: the step plus prefill chunks interleaved with it (colocated). */
  readonly tpotSeconds: number;
  /** Output tokens per second one instance can produce at its cap. */
  readonly maxTokensPerSecond: number;
}

export interface DecodeInputs {
  readonly tiers: readonly TierOption[];
  readonly tpotSloSeconds: number;
  readonly maxBatch: number;
  /** Requests per second one instance of the group serves. */
  readonly requestsPerSecond: number;
  readonly meanOutputTokens: number;
  /**
   * Seconds a colocated instance adds to each decode step on average: the engine alternates prefill chunks
   * and decode steps while prompts are pending, so a step is followed by a chunk with the probability that
   * one is pending (0 when disaggregated).
   */
  readonly interleaveSeconds: number;
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
const k = (tokens: number) => (tokens >= 1000 ? `${Math.round(tokens / 1000)}k` : `${Math.round(tokens)}`);

/** `h100 ×1`: a TP domain of one kind. */
export function domainLabel(deviceId: string, tp: number): string {
  return `${deviceId} ×${tp}`;
}

/** solveDecodeGroup, memoized on the instance kind (many configurations share a group and its inputs). */
export function solveDecodeGroup(
  group: InstanceGroup,
  m: InstanceModel,
  input: DecodeInputs,
): DecodeGroupSolution | RankedOut {
  const key = `decode|${group.count}|${input.tiers.map((t) => t.id).join('+')}|${input.tpotSloSeconds}|${input.maxBatch}|${input.requestsPerSecond}|${input.meanOutputTokens}|${input.interleaveSeconds}`;
  return m.memoize(key, () => solve(group, m, input));
}

function solve(group: InstanceGroup, m: InstanceModel, input: DecodeInputs): DecodeGroupSolution | RankedOut {
  const where = domainLabel(group.deviceId, group.tp);
  if (!m.weightsFit) {
    return {
      kind: 'capacity',
      text: `decode capacity-bound on ${where}: weights ${gb(m.weightBytes)} exceed its ${gb(m.tp * m.device.memoryCapacityBytes)} (B_max 0)`,
    };
  }
  const { hbm, withTiers } = decodeBatchMax(m, input.tiers);
  if (withTiers < 1) {
    const perRequest = m.decodeContextTokens * m.kvBytesPerTokenDomain;
    return {
      kind: 'capacity',
      text: `decode capacity-bound on ${where}: B_max 0 at ${k(m.decodeContextTokens)} context (KV ${gb(perRequest)} per request, ${gb(m.hbmFreeBytes)} free after weights${input.tiers.length > 0 ? ' and tiers' : ''})`,
    };
  }
  const extra = input.interleaveSeconds;
  const tiersKey = `step|${input.tiers.map((t) => t.id).join('+')}|`;
  const step = (b: number) => m.memoize(tiersKey + b, () => tieredDecodeStep(m, input.tiers, b));
  const upper = Math.min(withTiers, input.maxBatch);
  // Largest batch whose TPOT meets the SLO (steps grow with the batch).
  let bSlo = 0;
  if (step(1).seconds + extra <= input.tpotSloSeconds) {
    let lo = 1;
    let hi = upper;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (step(mid).seconds + extra <= input.tpotSloSeconds) lo = mid;
      else hi = mid - 1;
    }
    bSlo = lo;
  }
  const cap = Math.max(1, Math.min(upper, bSlo === 0 ? 1 : bSlo));
  const capBy: DecodeGroupSolution['batchCapBy'] =
    bSlo > 0 && bSlo < upper ? 'tpot' : cap === withTiers ? 'capacity' : bSlo === 0 ? 'tpot' : 'engine';
  const demand = input.requestsPerSecond * input.meanOutputTokens;
  const tokensPerSecond = (b: number) => b / (step(b).seconds + extra);
  const maxTokens = tokensPerSecond(cap);
  let batch = cap;
  if (maxTokens >= demand) {
    let lo = 1;
    let hi = cap;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (tokensPerSecond(mid) >= demand) hi = mid;
      else lo = mid + 1;
    }
    batch = lo;
  }
  const at = step(batch);
  return {
    group,
    model: m,
    batchMaxHbm: hbm,
    batchMaxWithTiers: withTiers,
    batchCap: cap,
    batchCapBy: capBy,
    batch,
    step: at,
    demandTokensPerSecond: demand,
    utilization: maxTokens > 0 ? demand / maxTokens : Number.POSITIVE_INFINITY,
    tpotSeconds: at.seconds + extra,
    maxTokensPerSecond: maxTokens,
  };
}

export function isRankedOut<T extends object>(x: T | RankedOut): x is RankedOut {
  return !Array.isArray(x) && (x as RankedOut).kind !== undefined && (x as RankedOut).text !== undefined;
}
