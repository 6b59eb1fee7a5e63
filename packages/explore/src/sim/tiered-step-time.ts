// The step-time model the explorer's twin runs with: @oicf/core's prediction for the instance kind, with a
// decode batch's KV filling device memory first and the tiers below it next (each tier's share read at its
// bandwidth, as the screen's tiered-kv.ts), and every step counted by regime and by where its KV lived.
//
// Prefill steps take the twin's own exact `oicf` model (@oicf/sim oicfStepTimeModel: closed forms of the same
// core prediction; the tiers do not change a prefill); their regime is judged on a power-of-two grid of
// (new, cached) tokens. Decode steps: for a fixed batch B each part is affine in the summed context S, fitted
// from two core evaluations per B and checked at a third (relative error ≤ 1e-9, else evaluated directly).
import { oicfStepTimeModel, type StepShapeQuery, type StepTimeModel } from '@oicf/sim';
import type { InstanceModel, StepParts } from '../analytic/instance-model.js';
import type { TierOption } from '../space/space-types.js';

/** What the twin's steps did, summed over a run (one recorder per configuration). */
export interface StepRecorder {
  compute: number;
  bandwidth: number;
  capacity: number;
  /** Running KV byte-seconds by tier (`hbm`, tier option ids), over decode steps. */
  readonly kvByteSeconds: Record<string, number>;
}

export function newRecorder(): StepRecorder {
  return { compute: 0, bandwidth: 0, capacity: 0, kvByteSeconds: {} };
}

interface DecodeFit {
  readonly s0: number;
  readonly c0: number;
  readonly c1: number;
  readonly m0: number;
  readonly m1: number;
  readonly comm: number;
  /** KV bytes one device reads per context token. */
  readonly kvPerDevicePerToken: number;
}

const TOLERANCE = 1e-9;
const close = (a: number, b: number) => Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(b), 1e-12);

function fitDecode(m: InstanceModel, batch: number): DecodeFit | null {
  const s0 = batch;
  const s1 = batch * 65_537;
  const p0 = m.decodePartsAtSum(batch, s0);
  const p1 = m.decodePartsAtSum(batch, s1);
  const fit: DecodeFit = {
    s0,
    c0: p0.computeSeconds,
    c1: (p1.computeSeconds - p0.computeSeconds) / (s1 - s0),
    m0: p0.memorySeconds,
    m1: (p1.memorySeconds - p0.memorySeconds) / (s1 - s0),
    comm: p0.communicationSeconds,
    kvPerDevicePerToken: p1.kvReadBytesPerDevice / s1,
  };
  const s2 = batch * 12_346 + 7;
  const p2 = m.decodePartsAtSum(batch, s2);
  const ok =
    close(fit.c0 + fit.c1 * (s2 - s0), p2.computeSeconds) &&
    close(fit.m0 + fit.m1 * (s2 - s0), p2.memorySeconds) &&
    close(fit.comm, p2.communicationSeconds);
  return ok ? fit : null;
}

function partsOf(fit: DecodeFit | null, m: InstanceModel, batch: number, sum: number): StepParts {
  if (fit === null) return m.decodePartsAtSum(batch, sum);
  const d = sum - fit.s0;
  return {
    computeSeconds: fit.c0 + fit.c1 * d,
    memorySeconds: fit.m0 + fit.m1 * d,
    communicationSeconds: fit.comm,
    kvReadBytesPerDevice: fit.kvPerDevicePerToken * sum,
    flopsPerDevice: 0,
    bytesPerDevice: 0,
  };
}

const log2Bucket = (x: number) => (x <= 1 ? 0 : Math.round(Math.log2(x)));

/** The tiered model of one instance kind; `recorder` accumulates what its steps did. */
export function tieredStepTimeModel(
  m: InstanceModel,
  tiers: readonly TierOption[],
  recorder: StepRecorder,
  label: string,
): StepTimeModel {
  const prefill = oicfStepTimeModel(
    { model: m.model, device: m.device, precision: m.precision, sharding: m.sharding },
    label,
  );
  const fits: (DecodeFit | null | undefined)[] = [];
  const prefillBound = new Map<number, boolean>();
  const hbmFree = Math.max(0, m.hbmFreeBytes);
  let room = hbmFree;
  for (const t of tiers) room += t.capacityBytes * m.tp;
  const hbmBandwidth = m.device.memoryBandwidthBytesPerSecond;
  return {
    kind: 'oicf',
    label,
    stepSeconds(step: StepShapeQuery): number {
      if (step.phase === 'prefill') {
        const seconds = prefill.stepSeconds(step);
        const key = log2Bucket(step.numNewTokens) * 64 + log2Bucket(step.cachedTokens);
        let compute = prefillBound.get(key);
        if (compute === undefined) {
          const p = m.prefillPartsOf(
            2 ** log2Bucket(step.numNewTokens),
            step.cachedTokens <= 1 ? 0 : 2 ** log2Bucket(step.cachedTokens),
          );
          compute = p.computeSeconds >= p.memorySeconds;
          prefillBound.set(key, compute);
        }
        if (compute) recorder.compute++;
        else recorder.bandwidth++;
        return seconds;
      }
      const contexts = step.contextTokens;
      const batch = contexts.length;
      let sum = 0;
      for (let i = 0; i < batch; i++) sum += contexts[i] as number;
      let fit = fits[batch];
      if (fit === undefined) {
        fit = fitDecode(m, batch);
        fits[batch] = fit;
      }
      const parts = partsOf(fit, m, batch, sum);
      const domainKv = sum * m.kvBytesPerTokenDomain;
      const inHbm = Math.min(domainKv, hbmFree);
      let rest = domainKv - inHbm;
      let extra = 0;
      let latency = 0;
      const placed: [string, number][] = [['hbm', inHbm]];
      for (const t of tiers) {
        if (rest <= 0) break;
        const here = Math.min(rest, t.capacityBytes * m.tp);
        placed.push([t.id, here]);
        rest -= here;
        const perDevice = (here / domainKv) * parts.kvReadBytesPerDevice;
        extra += perDevice / t.bandwidthBytesPerSecond - perDevice / hbmBandwidth;
        latency = Math.max(latency, t.latencySeconds);
      }
      const memory = parts.memorySeconds + extra + latency;
      const seconds = Math.max(parts.computeSeconds, memory) + parts.communicationSeconds;
      // Capacity-bound: KV beyond device memory, or the worker's KV room (HBM and tiers) nearly full.
      if (domainKv > hbmFree || domainKv >= 0.95 * room) recorder.capacity++;
      else if (parts.computeSeconds >= memory) recorder.compute++;
      else recorder.bandwidth++;
      for (const [tier, bytes] of placed) {
        if (bytes > 0) recorder.kvByteSeconds[tier] = (recorder.kvByteSeconds[tier] ?? 0) + bytes * seconds;
      }
      return seconds;
    },
  };
}
