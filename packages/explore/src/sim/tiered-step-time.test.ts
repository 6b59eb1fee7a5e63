import { getDevice, getModel, getTier, PRECISION_PRESETS, unwrap } from '@oicf/core';
import { directOicfStepSeconds } from '@oicf/sim';
import { describe, expect, it } from 'vitest';
import { InstanceModel } from '../analytic/instance-model.js';
import { tieredDecodeStep } from '../analytic/tiered-kv.js';
import type { TierOption } from '../space/space-types.js';
import { newRecorder, tieredStepTimeModel } from './tiered-step-time.js';

const model = unwrap(getModel('llama-3.1-70b'));
const device = unwrap(getDevice('h100'));
const fp8 = PRECISION_PRESETS.fp8;
const dram = unwrap(getTier('dram'));
const tier: TierOption = {
  id: 'dram',
  base: 'dram',
  displayName: dram.displayName,
  capacityBytes: dram.capacityBytes,
  bandwidthBytesPerSecond: dram.bandwidthBytesPerSecond,
  latencySeconds: dram.latencySeconds,
  economics: undefined as never,
};

describe("the twin's tiered step-time model", () => {
  // Llama-3.1-70B fp8 on 2 × H100 (TP 2): 160e9 − 70,553,706,496 = 89,446,293,504 B free; KV 163,840 B/token
  // per domain (8 KV heads over 2 devices: no replication).
  const m = new InstanceModel(model, device, 2, fp8, 10_000);
  const target = { model, device, precision: fp8, sharding: m.sharding };

  it('is the twin’s own oicf prediction while KV fits device memory', () => {
    const rec = newRecorder();
    const st = tieredStepTimeModel(m, [tier], rec, 'x');
    const shapes = [
      { phase: 'prefill', numNewTokens: 4096, cachedTokens: 20_000 },
      { phase: 'decode', contextTokens: [1000, 25_000, 7] },
      { phase: 'decode', contextTokens: Array.from({ length: 40 }, (_, i) => 1000 + 37 * i) },
    ] as const;
    for (const s of shapes) expect(st.stepSeconds(s)).toBeCloseTo(directOicfStepSeconds(target, s), 12);
    expect(rec.capacity).toBe(0);
    expect(rec.compute + rec.bandwidth).toBe(3);
  });

  it('prices KV beyond device memory at the tier, as the screen does, and counts the step capacity-bound', () => {
    // 60 sequences of 10,000 tokens: 98.3 GB of KV, 8.86 GB of it beyond the 89.4 GB free.
    const rec = newRecorder();
    const st = tieredStepTimeModel(m, [tier], rec, 'x');
    const seconds = st.stepSeconds({ phase: 'decode', contextTokens: new Array(60).fill(10_000) });
    expect(seconds).toBeCloseTo(tieredDecodeStep(m, [tier], 60).seconds, 12);
    expect(rec.capacity).toBe(1);
    expect(rec.kvByteSeconds.dram).toBeCloseTo((60 * 10_000 * 163_840 - 89_446_293_504) * seconds, 0);
  });
});
