// What the screen reports beside goodput: the share of steps in each regime, where the KV lived, and the
// configuration's points on the OI–CF plane.
import { peakFlopsPerSecond } from '@oicf/core';
import type { Configuration } from '../space/space-types.js';
import type { WorkloadProfile } from '../workload/workload-profile.js';
import type { DecodeGroupSolution } from './decode-solve.js';
import type { InstanceModel } from './instance-model.js';
import type { PrefillPool } from './prefill-solve.js';
import type { PlanePointValue, RegimeMix, Retention } from './screen-types.js';

const PREFILL_CHUNK_TOKENS = 512;

/**
 * Steps per second of each kind, classified: a prefill step is compute- or bandwidth-bound by its predicted
 * parts; a decode step is capacity-bound when its KV spilled out of device memory or when its group falls
 * behind with its batch held at the KV capacity, else compute- or bandwidth-bound by its parts. A colocated
 * instance prefills in chunks of 512 tokens, one step each; a prefill worker runs a prompt as one step.
 */
export function accountRegimes(
  config: Configuration,
  groups: readonly DecodeGroupSolution[],
  prefill: PrefillPool,
  profile: WorkloadProfile,
  hit: number,
  outputTokens: number,
): RegimeMix {
  let compute = 0;
  let bandwidth = 0;
  let capacity = 0;
  const lambda = profile.arrivalRatePerSecond;
  profile.bins.forEach((bin, b) => {
    const fresh = Math.max(1, bin.inputTokens - hit * bin.reusableTokens);
    const steps = lambda * bin.share * (config.mode === 'colocated' ? Math.ceil(fresh / PREFILL_CHUNK_TOKENS) : 1);
    if (prefill.computeBound[b]) compute += steps;
    else bandwidth += steps;
  });
  for (const s of groups) {
    const requests = (s.demandTokensPerSecond * s.group.count) / outputTokens;
    const steps = s.batch > 0 ? (requests * outputTokens) / s.batch : 0;
    const capacityBound = s.step.spillBytes > 0 || (s.utilization > 1 && s.batchCapBy === 'capacity');
    if (capacityBound) capacity += steps;
    else if (s.step.computeSeconds >= s.step.memorySeconds) compute += steps;
    else bandwidth += steps;
  }
  const total = compute + bandwidth + capacity;
  return total > 0
    ? { compute: compute / total, bandwidth: bandwidth / total, capacity: capacity / total }
    : { compute: 0, bandwidth: 0, capacity: 0 };
}

/**
 * Byte shares of where KV lived: every decode instance's running KV at its batch (HBM first, then the tiers in
 * order) plus the retained prefixes the reuse curve says are held (HBM left over first when an affinity
 * policy reuses it, then the pool tiers).
 */
export function accountKv(
  config: Configuration,
  groups: readonly DecodeGroupSolution[],
  retention: Retention,
  capacityTokens: number,
  profile: WorkloadProfile,
  hit: number,
): Record<string, number> {
  const bytes: Record<string, number> = {};
  const add = (tier: string, b: number) => {
    if (b > 0) bytes[tier] = (bytes[tier] ?? 0) + b;
  };
  let bpt = 0;
  for (const s of groups) {
    bpt = s.model.kvBytesPerToken;
    for (const [tier, b] of Object.entries(s.step.kvBytesByTier)) add(tier, s.group.count * b);
  }
  // Retained tokens in use: the reuse curve's residency at the hit reached, at most the capacity.
  const curve = profile.reuse;
  let heldTokens = 0;
  if (hit > 0 && curve.cumulativeHeldTokens.length > 0) {
    const target = hit * curve.totalReusableTokens;
    const served = curve.cumulativeReusableTokens;
    let k = 0;
    while (k < served.length - 1 && (served[k] as number) < target) k++;
    heldTokens = Math.min(capacityTokens, curve.cumulativeHeldTokens[k] as number);
  }
  const inHbm = Math.min(heldTokens, retention.hbmTokens);
  add('hbm', inHbm * bpt);
  let rest = (heldTokens - inHbm) * bpt;
  for (const t of config.tiers) {
    if (rest <= 0) break;
    const room = t.capacityBytes * groups.reduce((n, s) => n + s.group.count * s.group.tp, 0) - (bytes[t.id] ?? 0);
    const here = Math.min(rest, Math.max(0, room));
    add(t.id, here);
    rest -= here;
  }
  let total = 0;
  for (const v of Object.values(bytes)) total += v;
  const shares: Record<string, number> = {};
  for (const [k, v] of Object.entries(bytes)) shares[k] = total > 0 ? v / total : 0;
  return shares;
}

/**
 * The configuration on the OI–CF plane: the lead prefill kind at the mean prompt (batch 1: CF = weights +
 * the prompt's KV) and each decode kind at its batch (CF = weights ÷ B + the decode context's KV).
 */
export function planePoints(
  groups: readonly DecodeGroupSolution[],
  prefill: PrefillPool,
  profile: WorkloadProfile,
): PlanePointValue[] {
  const out: PlanePointValue[] = [];
  const bins = profile.bins;
  let mid = 0;
  for (let b = 0; b < bins.length; b++) {
    if ((bins[b]?.inputTokens ?? 0) <= profile.meanInputTokens) mid = b;
  }
  const bin = bins[mid];
  const p = prefill.lead;
  if (bin !== undefined && p.weightsFit) {
    const parts = p.prefillParts(mid, bin, 0);
    out.push({
      phase: 'prefill',
      deviceId: p.device.id,
      tp: p.tp,
      intensityFlopsPerByte: parts.flopsPerDevice / parts.bytesPerDevice,
      capacityFootprintBytes: p.weightBytes + bin.inputTokens * p.kvBytesPerTokenDomain,
      numConcurrentRequests: 1,
      ...deviceFigures(p),
    });
  }
  for (const s of groups) {
    const parts = s.model.decodeParts(s.batch);
    out.push({
      phase: 'decode',
      deviceId: s.model.device.id,
      tp: s.model.tp,
      intensityFlopsPerByte: parts.flopsPerDevice / parts.bytesPerDevice,
      capacityFootprintBytes:
        s.model.weightBytes / s.batch + s.model.decodeContextTokens * s.model.kvBytesPerTokenDomain,
      numConcurrentRequests: s.batch,
      ...deviceFigures(s.model),
    });
  }
  return out;
}

function deviceFigures(m: InstanceModel) {
  return {
    peakFlopsPerSecond: peakFlopsPerSecond(m.device, m.precision.activations),
    bandwidthBytesPerSecond: m.device.memoryBandwidthBytesPerSecond,
    domainCapacityBytes: m.tp * m.device.memoryCapacityBytes,
  };
}
