import { analyzePoint, getDevice, getModel, getTier, PRECISION_PRESETS, unwrap } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import type { TierOption } from '../space/space-types.js';
import { InstanceModel } from './instance-model.js';
import { decodeBatchMax, tieredDecodeStep } from './tiered-kv.js';

const model = unwrap(getModel('llama-3.1-70b'));
const fp8 = PRECISION_PRESETS.fp8;
const h200 = unwrap(getDevice('h200'));
const optical = unwrap(getTier('optical-pool'));
const tier: TierOption = {
  id: 'optical-pool',
  base: 'optical-pool',
  displayName: optical.displayName,
  capacityBytes: optical.capacityBytes,
  bandwidthBytesPerSecond: optical.bandwidthBytesPerSecond,
  latencySeconds: optical.latencySeconds,
  economics: undefined as never,
};

describe('KV over HBM and a tier', () => {
  // Llama-3.1-70B fp8 on one H200 at a 32,000-token decode context: weights 70,553,706,496 B, KV per token
  // 163,840 B → 5,242,880,000 B per request; 141e9 − 70,553,706,496 = 70,446,293,504 B free.
  const m = new InstanceModel(model, h200, 1, fp8, 32_000);

  it('B_max by hand: device memory alone, and with an 8 TB optical pool', () => {
    // ⌊70,446,293,504 / 5,242,880,000⌋ = 13;  ⌊(70,446,293,504 + 8e12) / 5,242,880,000⌋ = 1,539.
    expect(decodeBatchMax(m, [])).toEqual({ hbm: 13, withTiers: 13 });
    expect(decodeBatchMax(m, [tier])).toEqual({ hbm: 13, withTiers: 1539 });
  });

  it('a spilling batch costs what @oicf/core prices for the same share of KV in the tier', () => {
    // Batch 20: 104,857,600,000 B of KV, 70,446,293,504 in HBM, the rest (32.82 %) in the tier.
    const step = tieredDecodeStep(m, [tier], 20);
    const fraction = 1 - 70_446_293_504 / 104_857_600_000;
    expect(step.kvBytesByTier['optical-pool']).toBeCloseTo(104_857_600_000 - 70_446_293_504, 0);
    const core = analyzePoint({
      model,
      device: h200,
      precision: fp8,
      phase: 'decode',
      batch: 20,
      contextTokens: 32_000,
      kvPlacement: { tier: optical, fractionInTier: fraction },
    });
    expect(step.memorySeconds).toBeCloseTo(core.predicted.memorySeconds, 12);
    expect(step.seconds).toBeCloseTo(core.predicted.stepSeconds, 12);
    // Within HBM the tier changes nothing.
    const small = tieredDecodeStep(m, [tier], 10);
    expect(small.spillBytes).toBe(0);
    expect(small.seconds).toBeCloseTo(
      analyzePoint({ model, device: h200, precision: fp8, phase: 'decode', batch: 10, contextTokens: 32_000 }).predicted
        .stepSeconds,
      12,
    );
  });
});
