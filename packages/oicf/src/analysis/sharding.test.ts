import { describe, expect, it } from 'vitest';
import { OicfCoreError, unwrap } from '../errors.js';
import { DEVICES, getDevice } from '../hardware/devices.js';
import { catalogLink } from '../hardware/links.js';
import { MODELS } from '../models/catalog.js';
import { getModel } from '../models/lookup.js';
import { PRECISION_PRESETS } from '../precision.js';
import { fitWeightsSharding } from '../sweep/fit-sharding.js';
import { analyzePoint } from './analyze-point.js';
import { checkSharding, shardPlan } from './sharding.js';

const model = (id: string) => unwrap(getModel(id));
const device = (id: string) => unwrap(getDevice(id));

describe('checkSharding', () => {
  // Public facts: H100/H200 HGX boards and MI300X platforms hold 8 GPUs, GB200 NVL72 72; Llama-3-8B
  // has 32 attention heads, Llama-3.1-70B 64, DeepSeek-V3 128 (config.json num_attention_heads).
  it.each([
    ['llama-3.1-70b', 'h100', 8],
    ['llama-3-8b', 'h100', 2],
    ['deepseek-v3', 'gb200', 64],
    ['deepseek-v3', 'mi300x', 8],
  ])('accepts %s on %s × %i', (m, d, n) => {
    expect(checkSharding(model(m), device(d), { numDevices: n, strategy: 'tensor' })).toEqual({
      ok: true,
      value: { numDevices: n, strategy: 'tensor' },
    });
  });

  it.each([
    // 64 > 8 GPUs per H100 board; 64 heads split evenly over 64, so only the domain limit is named.
    ['llama-3.1-70b', 'h100', 64, ["64 devices exceed h100's scale-up domain of 8"]],
    // 32 heads / 3 = 10.67: not whole heads.
    ['llama-3-8b', 'h100', 3, ["llama-3-8b's 32 attention heads do not split evenly over 3 devices"]],
    // 128 heads / 72 = 1.78; 72 is within NVL72's domain.
    ['deepseek-v3', 'gb200', 72, ["deepseek-v3's 128 attention heads do not split evenly over 72 devices"]],
    // Both at once: 16 > 8 and 32 / 16 = 2 is fine → only the domain; 40 heads / 16 = 2.5 → both.
    [
      'llama-2-13b',
      'h100',
      16,
      ["16 devices exceed h100's scale-up domain of 8", "llama-2-13b's 40 attention heads do not split evenly over 16"],
    ],
  ])('rejects %s on %s × %i, naming the limit', (m, d, n, messages) => {
    const r = checkSharding(model(m), device(d), { numDevices: n, strategy: 'tensor' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_ARGUMENT');
    expect(r.error.issues).toHaveLength(messages.length);
    for (const message of messages) expect(r.error.message).toContain(message);
  });

  it('an explicit link lifts the domain limit (a device without a scale-up domain)', () => {
    const sharding = { numDevices: 4, strategy: 'tensor' as const, link: catalogLink('pcie5') };
    expect(checkSharding(model('llama-3-8b'), device('lpddr-decode'), sharding).ok).toBe(true);
  });

  it('shardPlan and analyzePoint throw the same error', () => {
    expect(() => shardPlan(model('llama-3-8b'), device('h100'), { numDevices: 3, strategy: 'tensor' })).toThrow(
      OicfCoreError,
    );
    const query = {
      model: model('llama-3.1-70b'),
      device: device('h100'),
      precision: PRECISION_PRESETS.bf16,
      phase: 'decode' as const,
      batch: 1,
      contextTokens: 1024,
      sharding: { numDevices: 64, strategy: 'tensor' as const },
    };
    expect(() => analyzePoint(query)).toThrow(/scale-up domain of 8/);
  });

  it("every catalog model × device × precision's fit-weights sharding passes", () => {
    for (const m of MODELS) {
      for (const d of DEVICES) {
        for (const p of Object.values(PRECISION_PRESETS)) {
          const r = checkSharding(m, d, fitWeightsSharding(m, d, p));
          expect(r.ok, `${m.id} on ${d.id}`).toBe(true);
        }
      }
    }
  });
});
