import { describe, expect, it } from 'vitest';
import { emulationTarget, kvCapacityTokens, predictTargetStep, targetTransferSeconds } from './emulation-target.js';

// Moved with emulation-target.ts from @oicf/worker (the assertions are unchanged).

describe('KV capacity of the emulated domain, in tokens', () => {
  // Llama-3.1-70B parameters (config.json): embedding and untied lm_head 128,256·8192 = 1,050,673,152
  // each; attention per layer 2·8192·64·128 (q, o) + 2·8192·8·128 (k, v) = 150,994,944, × 80 =
  // 12,079,595,520; SwiGLU per layer 3·8192·28,672 = 704,643,072, × 80 = 56,371,445,760; RMSNorm
  // 80·2·8192 + 8192 = 1,318,912. Total 70,553,706,496 → bf16 weights W = 141,107,412,992 bytes.
  // KV per token: 80 layers · 2 · 8 kv heads · 128 · 2 bytes = 327,680.
  // fitWeightsSharding: smallest power of two N with W ≤ 0.5 · N · memory (capped by the domain).
  it.each([
    // H100 (80 GB, NVLink domain 8): N=1: 40 GB < W; N=2: 80 GB < W; N=4: 160 GB ≥ W → 4 devices.
    // (4 · 80e9 − W) / 327,680 = 178,892,587,008 / 327,680 = 545,936.85 → 545,936.
    ['llama-3.1-70b@h100', 4, 545_936],
    // H200 (141 GB): N=2 gives 141e9 < W, so N=4: (564e9 − W) / 327,680 = 1,290,565.76 → 1,290,565.
    ['llama-3.1-70b@h200', 4, 1_290_565],
    // lpddr-decode (1 TB, no scale-up link → 1 device): (1e12 − W) / 327,680 = 2,621,132.16 → 2,621,132.
    ['llama-3.1-70b@lpddr-decode', 1, 2_621_132],
    // DeepSeek-V3's ~671e9 bf16 parameters (≈ 1.3 TB) cannot fit one 128 GB Rubin CPX (no scale-up): 0.
    ['deepseek-v3@rubin-cpx', 1, 0],
  ] as const)('%s → %i devices, %i tokens', (spec, numDevices, tokens) => {
    const target = emulationTarget(spec, 'rdma-400g');
    expect(target.sharding.numDevices).toBe(numDevices);
    expect(kvCapacityTokens(target)).toBe(tokens);
  });

  it('reports the capacity in the tiny model’s bytes: tokens × tiny KV bytes per token', () => {
    // tiny-gqa: 4 layers · 2 · 2 kv heads · 64 · 4 bytes (fp32) = 4096 bytes per token.
    // 545,936 tokens × 4096 = 2,236,153,856 bytes.
    expect(kvCapacityTokens(emulationTarget('llama-3.1-70b@h100', 'rdma-400g')) * 4096).toBe(2_236_153_856);
  });

  it('names an unknown model or device with the valid ids', () => {
    expect(() => emulationTarget('llama-9@h100', 'rdma-400g')).toThrow(
      /unknown model 'llama-9'; valid: .*llama-3.1-70b/,
    );
    expect(() => emulationTarget('llama-3.1-70b@tpu', 'rdma-400g')).toThrow(/unknown device 'tpu'/);
  });
});

describe('the emulated target’s transfers and steps', () => {
  it('a KV transfer takes latency + target bytes / link bandwidth', () => {
    const target = emulationTarget('llama-3.1-70b@h100', 'rdma-400g');
    // 1000 tokens × 327,680 B = 327.68 MB over 50 GB/s = 6.5536 ms, plus 2 µs latency.
    expect(targetTransferSeconds(target, 1000)).toBeCloseTo(0.0065556, 10);
    expect(targetTransferSeconds(target, 0)).toBe(0);
  });

  it('a decode step of 70B on 4 × H100 is bandwidth-bound and no faster than reading the weight shards', () => {
    const target = emulationTarget('llama-3.1-70b@h100', 'rdma-400g');
    const p = predictTargetStep(target, { phase: 'decode', contextTokens: [1000] });
    // Each of 4 devices reads its quarter of the weights: 141.1e9 / 4 / 3.35e12 B/s ≈ 10.53 ms.
    expect(p.regime).toBe('bandwidth-bound');
    expect(p.stepSeconds).toBeGreaterThanOrEqual(141_107_412_992 / 4 / 3.35e12);
    expect(p.stepSeconds).toBeLessThan(0.02);
  });
});
