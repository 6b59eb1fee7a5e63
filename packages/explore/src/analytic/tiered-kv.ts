// Running KV spread over HBM and the tiers below it: a decode batch whose KV exceeds the domain's free device
// memory keeps the rest in the tiers, nearest first, and every step reads that share at the tier's bandwidth
// (per accelerator) plus one access latency. For one tier this is exactly @oicf/core's `kvPlacement`
// (evaluate-step.ts: local bytes at HBM bandwidth + tier bytes at the tier's); several tiers add their terms.
import { batchMaxFromBytes } from '@oicf/core';
import type { TierOption } from '../space/space-types.js';
import { type InstanceModel, type StepParts, stepSeconds } from './instance-model.js';

export interface TieredStep {
  readonly seconds: number;
  readonly computeSeconds: number;
  /** Memory seconds including the tier terms. */
  readonly memorySeconds: number;
  readonly communicationSeconds: number;
  /** Domain KV bytes held in HBM and in each tier (by option id), for this batch. */
  readonly kvBytesByTier: Readonly<Record<string, number>>;
  /** KV bytes that did not fit HBM (0 = no spill). */
  readonly spillBytes: number;
}

/** Largest batch whose KV at the decode context fits: device memory only, and with every tier. */
export function decodeBatchMax(m: InstanceModel, tiers: readonly TierOption[]): { hbm: number; withTiers: number } {
  const perRequest = m.decodeContextTokens * m.kvBytesPerTokenDomain;
  const capacity = m.tp * m.device.memoryCapacityBytes;
  const hbm = batchMaxFromBytes({ weightBytes: m.weightBytes, bytesPerRequest: perRequest, capacityBytes: capacity });
  if (!m.weightsFit) return { hbm: 0, withTiers: 0 };
  let tierBytes = 0;
  for (const t of tiers) tierBytes += t.capacityBytes * m.tp;
  const withTiers = batchMaxFromBytes({
    weightBytes: m.weightBytes,
    bytesPerRequest: perRequest,
    capacityBytes: capacity + tierBytes,
  });
  return { hbm, withTiers };
}

/** Single sequences of `contextTokens` that fit one instance: device memory plus every tier. */
export function fitsOneSequence(m: InstanceModel, tiers: readonly TierOption[], contextTokens: number): boolean {
  let room = m.hbmFreeBytes;
  if (room < 0) return false;
  for (const t of tiers) room += t.capacityBytes * m.tp;
  return contextTokens * m.kvBytesPerTokenDomain <= room;
}

/** A decode step of `batch` sequences at the decode context with KV filling HBM, then `tiers` in order. */
export function tieredDecodeStep(m: InstanceModel, tiers: readonly TierOption[], batch: number): TieredStep {
  const parts: StepParts = m.decodeParts(batch);
  const domainKv = batch * m.decodeContextTokens * m.kvBytesPerTokenDomain;
  const inHbm = Math.min(domainKv, Math.max(0, m.hbmFreeBytes));
  const kvBytesByTier: Record<string, number> = { hbm: inHbm };
  let rest = domainKv - inHbm;
  let extraSeconds = 0;
  let latency = 0;
  const hbmBandwidth = m.device.memoryBandwidthBytesPerSecond;
  for (const t of tiers) {
    if (rest <= 0) break;
    const here = Math.min(rest, t.capacityBytes * m.tp);
    kvBytesByTier[t.id] = here;
    rest -= here;
    // The device reads its share of this tier's bytes: (here ÷ domainKv) of its KV read.
    const perDevice = (here / domainKv) * parts.kvReadBytesPerDevice;
    extraSeconds += perDevice / t.bandwidthBytesPerSecond - perDevice / hbmBandwidth;
    latency = Math.max(latency, t.latencySeconds);
  }
  if (rest > 0) kvBytesByTier.overflow = rest;
  const memorySeconds = parts.memorySeconds + extraSeconds + latency;
  const step = {
    computeSeconds: parts.computeSeconds,
    memorySeconds,
    communicationSeconds: parts.communicationSeconds,
  };
  return { ...step, seconds: stepSeconds(step), kvBytesByTier, spillBytes: domainKv - inHbm };
}
