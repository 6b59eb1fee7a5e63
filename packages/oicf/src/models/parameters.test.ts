import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { PRECISION_PRESETS } from '../precision.js';
import { getModel } from './lookup.js';
import { kvBytesPerToken, parameterCount, weightBytes } from './parameters.js';

const model = (id: string) => unwrap(getModel(id));
const bf16 = PRECISION_PRESETS.bf16;
const fp8 = PRECISION_PRESETS.fp8;

describe('parameterCount', () => {
  // Hand derivations (RMSNorm weights included; untied embedding and lm_head = 2·V·h):
  // llama-2-7b:  per layer 4·4096² + 3·4096·11008 + 2·4096 = 202,383,360; ×32 = 6,476,267,520
  //              + 2·32000·4096 = 262,144,000 + final norm 4096 → 6,738,415,616 (Meta: "7B").
  // llama-2-13b: per layer 4·5120² + 3·5120·13824 + 2·5120 = 317,204,480; ×40 = 12,688,179,200
  //              + 2·32000·5120 = 327,680,000 + 5120 → 13,015,864,320.
  // llama-3-8b:  per layer 2·4096² + 2·4096·1024 + 3·4096·14336 + 8192 = 218,112,000; ×32
  //              = 6,979,584,000 + 2·128256·4096 = 1,050,673,152 + 4096 → 8,030,261,248.
  // llama-3.1-70b: per layer 2·8192² + 2·8192·1024 + 3·8192·28672 + 16384 = 855,654,400; ×80
  //              = 68,452,352,000 + 2·128256·8192 = 2,101,346,304 + 8192 → 70,553,706,496.
  // mixtral-8x7b: per layer attention 41,943,040 + experts 8·3·4096·14336 = 1,409,286,144
  //              + router 4096·8 = 32,768 + norms 8192 = 1,451,270,144; ×32 = 46,440,644,608
  //              + 262,144,000 + 4096 → 46,702,792,704 (Mistral: "46.7B").
  // deepseek-v3: MLA per layer q_a 7168·1536 + q_b 1536·128·192 + kv_a 7168·576 + kv_b 512·128·256
  //              + o 128·128·7168 = 187,105,280; norms 2·7168 + 1536 + 512 = 16,384.
  //              dense layer + 3·7168·18432 = 396,361,728 → 583,483,392 (×3 = 1,750,450,176);
  //              MoE layer + 256·3·7168·2048 = 11,274,289,152 + shared 44,040,192 + router
  //              1,835,008 → 11,507,286,016 (×58 = 667,422,588,928); + 2·129280·7168
  //              = 1,853,358,080 + 7168 → 671,026,404,352 (DeepSeek: "671B" without MTP).
  it.each([
    ['llama-2-7b', 6_738_415_616],
    ['llama-2-13b', 13_015_864_320],
    ['llama-3-8b', 8_030_261_248],
    ['llama-3.1-70b', 70_553_706_496],
    ['mixtral-8x7b', 46_702_792_704],
    ['deepseek-v3', 671_026_404_352],
  ])('%s has %i parameters', (id, expected) => {
    expect(parameterCount(model(id)).numTotal).toBe(expected);
  });

  it('counts the tiny MHA model part by part', () => {
    // h 512, 4 layers, V 259, SwiGLU 1536: embedding 259·512 = 132,608 (and lm_head the same),
    // attention 4·4·512² = 4,194,304, FFN 4·3·512·1536 = 9,437,184, norms 4·2·512 + 512 = 4,608.
    expect(parameterCount(model('tiny-mha'))).toEqual({
      numEmbedding: 132_608,
      numLmHead: 132_608,
      numAttention: 4_194_304,
      numDenseFfn: 9_437_184,
      numRoutedExperts: 0,
      numSharedExperts: 0,
      numRouter: 0,
      numNorm: 4_608,
      numTotal: 13_901_312,
      // everything but the embedding table: 13,901,312 − 132,608
      numActivePerToken: 13_768_704,
    });
  });

  it('counts active parameters of an MoE model with top-k experts only', () => {
    // Mixtral: total 46,702,792,704 − embedding 131,072,000 − routed 32·8·176,160,768
    // + active 32·2·176,160,768 = 46,571,720,704 − 45,097,156,608 + 11,274,289,152 = 12,748,853,248.
    expect(parameterCount(model('mixtral-8x7b')).numActivePerToken).toBe(12_748_853_248);
  });
});

describe('kvBytesPerToken', () => {
  it.each([
    // 80 layers · 8 kv heads · 128 · 2 (K,V) · 2 B (public fact)
    ['llama-3.1-70b', bf16, 327_680],
    // 61 layers · (512 + 64) · 2 B (public fact)
    ['deepseek-v3', bf16, 70_272],
    // MHA: 32 · 32 · 128 · 2 · 2 B
    ['llama-2-7b', bf16, 524_288],
    // fp8 KV: 32 · 8 · 128 · 2 · 1 B
    ['llama-3-8b', fp8, 65_536],
    // tiny MLA latent: 4 · (128 + 32) · 2 B
    ['tiny-mla', bf16, 1_280],
  ] as const)('%s', (id, precision, expected) => {
    expect(kvBytesPerToken(model(id), precision)).toBe(expected);
  });
});

describe('weightBytes', () => {
  it('is every parameter at the weight precision', () => {
    // 70,553,706,496 parameters (above) × 2 B
    expect(weightBytes(model('llama-3.1-70b'), bf16)).toBe(141_107_412_992);
    // int4 packs two per byte: 8,030,261,248 / 2
    expect(weightBytes(model('llama-3-8b'), PRECISION_PRESETS.w4a16)).toBe(4_015_130_624);
  });
});
