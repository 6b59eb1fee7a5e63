import { describe, expect, it } from 'vitest';
import { CONVENTIONS } from '../conventions/presets.js';
import { OicfCoreError, unwrap } from '../errors.js';
import { getDevice } from '../hardware/devices.js';
import { getTier } from '../hardware/tiers.js';
import { getModel } from '../models/lookup.js';
import { PRECISION_PRESETS } from '../precision.js';
import type { PointQuery } from '../types.js';
import { analyzePoint } from './analyze-point.js';

const bf16 = PRECISION_PRESETS.bf16;
const model = (id: string) => unwrap(getModel(id));
const h100 = unwrap(getDevice('h100'));
const base = { device: h100, precision: bf16, convention: 'paper' } as const;

describe('decode OI at long context (paper convention, 16-bit)', () => {
  // Per token of context per layer: 4·H·d FLOPs (QKᵀ and P·V) over 2·G·d·2 bytes of KV,
  // so OI → 2·(H/G)/bytes: Llama-3.1-70B 2·8/2 = 8; an MHA model 2·1/2 = 1.
  it.each([
    ['llama-3.1-70b', 8],
    ['llama-2-13b', 1],
  ])('%s → %d', (id, limit) => {
    const at = (contextTokens: number) =>
      analyzePoint({ ...base, model: model(id), phase: 'decode', contextTokens }).operationalIntensityFlopsPerByte;
    // At 1e9 tokens the weights (≤ 141 GB) are < 0.05% of the KV bytes (≥ 3.3e14 B).
    expect(at(1e9)).toBeCloseTo(limit, 2);
    expect(at(1e4)).toBeLessThan(at(1e6));
  });
});

describe('worked example (docs/oicf.md): Llama-3.1-70B bf16 decode on one H100, batch 8, 32k', () => {
  const result = analyzePoint({
    ...base,
    model: model('llama-3.1-70b'),
    phase: 'decode',
    batch: 8,
    contextTokens: 32_768,
  });

  it('FLOPs', () => {
    // linear 2·8 tokens·80·855,638,016 = 1,095,216,660,480; lm_head 2·8·8192·128,256 = 16,810,770,432;
    // attention 80 layers · 4 · 8 · 32,769 keys · 64 heads · 128 = 687,215,738,880.
    expect(result.flops).toBe(1_799_243_169_792);
  });

  it('bytes, OI and CF', () => {
    // weights (70,553,706,496 − 1,050,673,152 embedding) · 2 = 139,006,066,688;
    // KV read 8 · 32,768 · 327,680 = 85,899,345,920; written 8 · 327,680 = 2,621,440.
    expect(result.bytes).toEqual({
      weightBytes: 139_006_066_688,
      kvReadBytes: 85_899_345_920,
      kvWriteBytes: 2_621_440,
      activationBytes: 0,
      totalBytes: 224_908_034_048,
    });
    // 1,799,243,169,792 / 224,908,034,048 = 7.9999
    expect(result.operationalIntensityFlopsPerByte).toBeCloseTo(7.9999, 4);
    // CF: 141,107,412,992 / 8 + 32,769 resident tokens · 327,680 = 28,376,172,544
    expect(result.capacityFootprint.totalBytes).toBe(28_376_172_544);
    // resident 141,107,412,992 + 8 · 10,737,745,920 = 227,009,380,352 > 80e9
    expect(result.residentBytes).toBe(227_009_380_352);
  });

  it('regime and step time', () => {
    expect(result.fits).toBe(false);
    expect(result.batchMax).toBe(0);
    expect(result.regime).toBe('capacity-and-bandwidth-bound');
    // compute 1.7992e12 / 989.4e12 = 1.8185 ms; memory 2.2491e11 / 3.35e12 = 67.137 ms
    expect(result.predicted.computeSeconds).toBeCloseTo(1.81852e-3, 7);
    expect(result.predicted.memorySeconds).toBeCloseTo(67.1367e-3, 6);
    expect(result.predicted.stepSeconds).toBe(result.predicted.memorySeconds);
    expect(result.predicted.bound).toBe('memory');
    // at the predicted time MBU = 1 and MFU = 1.8185 / 67.137 = 2.71%
    expect(result.mbu).toBeCloseTo(1, 12);
    expect(result.mfu).toBeCloseTo(0.027087, 5);
    expect(result.attainableFlopsPerSecondAtBatchMax).toBe(0);
  });

  it('on 8 H100s (tensor parallel over NVLink 4) it fits and pays for all-reduces', () => {
    const tp8 = analyzePoint({
      ...base,
      model: model('llama-3.1-70b'),
      phase: 'decode',
      batch: 8,
      contextTokens: 32_768,
      sharding: { numDevices: 8, strategy: 'tensor' },
    });
    // 8 kv heads over 8 devices: no KV replication; capacity 640e9 ≥ 227.0e9.
    expect(tp8.fits).toBe(true);
    expect(tp8.regime).toBe('bandwidth-bound');
    // per device 224,908,034,048 / 8 B at 3.35e12 B/s = 8.3921 ms
    expect(tp8.predicted.memorySeconds).toBeCloseTo(8.39209e-3, 7);
    // 2 all-reduces × 80 layers of 8 tokens · 8192 · 2 B = 131,072 B; ring sends 2·7/8 of it:
    // 160 · 1.75 · 131,072 = 36,700,160 B at 450e9 B/s = 81.56 µs, + 160 · 14 steps · 1 µs = 2.24 ms
    expect(tp8.communicationBytesPerDevice).toBe(36_700_160);
    expect(tp8.predicted.communicationSeconds).toBeCloseTo(2.32156e-3, 7);
    expect(tp8.operationalIntensityFlopsPerByte).toBeCloseTo(result.operationalIntensityFlopsPerByte, 10);
    // Nothing replicated: the per-device figures are exactly an eighth of the whole.
    expect(tp8.flopsPerDevice).toBeCloseTo(tp8.flops / 8, 0);
    expect(tp8.bytesPerDevice).toBeCloseTo(tp8.bytes.totalBytes / 8, 0);
  });

  it('with MLA under tensor parallelism each device reads the whole latent KV (replicated)', () => {
    const mla = analyzePoint({
      ...base,
      model: model('deepseek-v3'),
      phase: 'decode',
      batch: 4,
      contextTokens: 32_768,
      sharding: { numDevices: 8, strategy: 'tensor' },
    });
    const b = mla.bytes;
    // Weights and activations split 8 ways; the latent KV is replicated, so every device reads and
    // writes all of it.
    expect(mla.bytesPerDevice).toBeCloseTo((b.weightBytes + b.activationBytes) / 8 + b.kvReadBytes + b.kvWriteBytes, 0);
    expect(8 * mla.bytesPerDevice).toBeGreaterThan(b.totalBytes);
    expect(mla.operationalIntensityFlopsPerByte).toBeCloseTo(mla.flopsPerDevice / mla.bytesPerDevice, 10);
    expect(mla.operationalIntensityFlopsPerByte).toBeLessThan(mla.flops / b.totalBytes);
  });
});

describe('regimes: one case each on H100, bf16, paper convention', () => {
  it.each<[string, PointQuery]>([
    // 8B (16.1 GB) fits; prefill of 4096 tokens: OI in the thousands ≫ 295
    ['compute-bound', { ...base, model: model('llama-3-8b'), phase: 'prefill', batch: 1, newTokens: 4096 }],
    // 8B decode of one sequence: OI ≈ 1 (2 FLOPs per 2-byte weight) < 295; fits
    ['bandwidth-bound', { ...base, model: model('llama-3-8b'), phase: 'decode', contextTokens: 1000 }],
    // 70B weights alone (141 GB) exceed 80 GB; prefill OI ≫ 295
    ['capacity-bound', { ...base, model: model('llama-3.1-70b'), phase: 'prefill', batch: 1, newTokens: 8192 }],
    // 8B fits alone but 64 × 32k contexts need 16.1e9 + 64·32,769·131,072 ≈ 291e9 B; OI ≈ 7
    [
      'capacity-and-bandwidth-bound',
      { ...base, model: model('llama-3-8b'), phase: 'decode', batch: 64, contextTokens: 32_768 },
    ],
  ])('%s', (regime, query) => {
    expect(analyzePoint(query).regime).toBe(regime);
  });

  it('raising the batch to batchMax raises attainable FLOP/s', () => {
    // (80e9 − 16,060,522,496) / (1001 · 131,072) = 487.3 → 487 sequences fit at 1000 tokens
    const result = analyzePoint({ ...base, model: model('llama-3-8b'), phase: 'decode', contextTokens: 1000 });
    expect(result.batchMax).toBe(487);
    expect(result.attainableFlopsPerSecondAtBatchMax).toBeGreaterThan(50 * result.attainableFlopsPerSecond);
  });
});

describe('KV in a slower tier', () => {
  it('reads that share at the tier bandwidth and frees device memory', () => {
    // Llama-3-8B decode at 100,000 tokens, half the KV in CXL (63e9 B/s, 2.5 µs):
    // KV read 100,000 · 131,072 = 13,107,200,000 → 6,553,600,000 from CXL;
    // local = weights 15,009,849,344 + 6,553,600,000 + KV write 131,072 = 21,563,980,416 B.
    // memory = 21,563,980,416 / 3.35e12 + 6,553,600,000 / 63e9 + 2.5e-6 = 6.4370 ms + 104.025 ms + 2.5 µs
    const cxl = unwrap(getTier('cxl'));
    const result = analyzePoint({
      ...base,
      model: model('llama-3-8b'),
      phase: 'decode',
      contextTokens: 100_000,
      kvPlacement: { tier: cxl, fractionInTier: 0.5 },
    });
    expect(result.predicted.memorySeconds).toBeCloseTo(0.1104646, 6);
    // resident: 16,060,522,496 + 0.5 · 100,001 · 131,072 (= 6,553,665,536) = 22,614,188,032
    expect(result.residentBytes).toBe(22_614_188_032);
  });
});

describe('efficiency, MFU, MBU', () => {
  const query = { ...base, model: model('llama-3-8b'), phase: 'prefill', batch: 1, newTokens: 4096 } as const;

  it('divides peak and bandwidth by the efficiency factors', () => {
    const ideal = analyzePoint(query);
    const derated = analyzePoint({ ...query, efficiency: { compute: 0.5, memory: 0.8 } });
    expect(derated.predicted.computeSeconds).toBeCloseTo(2 * ideal.predicted.computeSeconds, 15);
    expect(derated.predicted.memorySeconds).toBeCloseTo(ideal.predicted.memorySeconds / 0.8, 15);
  });

  it('computes MFU and MBU from a measured time', () => {
    const result = analyzePoint({ ...query, achievedSeconds: 0.5 });
    expect(result.mfu).toBeCloseTo(result.flops / (0.5 * 989.4e12), 12);
    expect(result.mbu).toBeCloseTo(result.bytes.totalBytes / (0.5 * 3.35e12), 12);
  });
});

describe('conventions are reported', () => {
  const query = {
    device: h100,
    precision: bf16,
    model: model('tiny-gqa'),
    phase: 'decode',
    contextTokens: 10,
  } as const;
  it.each([
    [undefined, 'oicf'],
    ['paper', 'paper'],
    [CONVENTIONS['llm-viewer'], 'llm-viewer'],
    [{ ...CONVENTIONS.paper, prefillAttention: 'full-square' }, 'custom'],
  ] as const)('%o → %s', (convention, name) => {
    const result = analyzePoint({ ...query, ...(convention ? { convention } : {}) });
    expect(result.convention).toBe(name);
    expect(result.conventionOptions).toEqual(
      convention === undefined
        ? CONVENTIONS.oicf
        : typeof convention === 'string'
          ? CONVENTIONS[convention]
          : convention,
    );
  });
});

describe('bad arguments name the field', () => {
  const decode = { ...base, model: model('tiny-gqa'), phase: 'decode' } as const;
  it.each<[PointQuery, RegExp]>([
    [{ ...decode, batch: 0, contextTokens: 10 }, /^batch: must be an integer ≥ 1/],
    [{ ...decode, batch: 3, contextTokens: [1, 2] }, /^batch: must equal contextTokens.length \(2\)/],
    [{ ...decode, contextTokens: [1, -2] }, /^contextTokens\[1\]: must be an integer ≥ 0/],
    [{ ...decode, contextTokens: 5, efficiency: { compute: 0 } }, /^efficiency.compute: must be in \(0, 1\]/],
    [
      { ...base, model: model('tiny-gqa'), phase: 'prefill', batch: 1, newTokens: 0 },
      /^newTokens: must be an integer ≥ 1/,
    ],
    [
      {
        ...decode,
        contextTokens: 5,
        sharding: { numDevices: 2, strategy: 'tensor' },
        device: unwrap(getDevice('rubin-cpx')),
      },
      /^sharding.link: device 'rubin-cpx' has no scale-up link/,
    ],
  ])('%#', (query, message) => {
    expect(() => analyzePoint(query)).toThrow(OicfCoreError);
    expect(() => analyzePoint(query)).toThrow(message);
  });
});
