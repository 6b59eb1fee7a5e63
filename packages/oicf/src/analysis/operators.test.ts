import { describe, expect, it } from 'vitest';
import { CONVENTIONS } from '../conventions/presets.js';
import { unwrap } from '../errors.js';
import { getModel } from '../models/lookup.js';
import { PRECISION_PRESETS } from '../precision.js';
import type { ConventionOptions, OperatorRow } from '../types.js';
import { operatorRows } from './operators.js';
import { decodeShape, prefillShape } from './step-shape.js';

const bf16 = PRECISION_PRESETS.bf16;
const paper = CONVENTIONS.paper;
const model = (id: string) => unwrap(getModel(id));
const byOp = (rows: OperatorRow[]) => Object.fromEntries(rows.map((row) => [row.operator, row]));
const total = (rows: OperatorRow[]) => rows.reduce((sum, row) => sum + row.flops, 0);

describe('operator FLOPs and bytes, tiny-mha (h 512, 8 heads × 64, SwiGLU 1536, V 259, 4 layers)', () => {
  it('prefill of 16 tokens, no prefix, paper convention', () => {
    // per layer: qkv 2·16·512·(8+8+8)·64 = 25,165,824; out 2·16·512·512 = 8,388,608;
    // causal pairs 16·17/2 = 136 → score 2·136·8·64 = 139,264 and value 139,264;
    // FFN 2·16·512·1536·3 = 75,497,472 → layer 109,330,432; ×4 = 437,321,728.
    // lm_head on the last token: 2·512·259 = 265,216. Total 437,586,944.
    const rows = operatorRows(model('tiny-mha'), bf16, paper, prefillShape(1, 16, 0, paper));
    const ops = byOp(rows);
    expect(ops.qkv_proj?.flops).toBe(4 * 25_165_824);
    expect(ops.attention_score?.flops).toBe(4 * 139_264);
    expect(ops.attention_value?.flops).toBe(4 * 139_264);
    expect(ops.out_proj?.flops).toBe(4 * 8_388_608);
    expect(ops.ffn?.flops).toBe(4 * 75_497_472);
    expect(ops.lm_head?.flops).toBe(265_216);
    expect(total(rows)).toBe(437_586_944);
    // Bytes: every weight but the embedding table, 13,768,704 · 2 = 27,537,408; KV written
    // 16 tokens · 4 layers · 2·8·64 · 2 B = 131,072; nothing read (no prefix); no activations.
    const weights = rows.reduce((sum, row) => sum + row.bytes.weightBytes, 0);
    const kvWrite = rows.reduce((sum, row) => sum + row.bytes.kvWriteBytes, 0);
    const other = rows.reduce((sum, row) => sum + row.bytes.kvReadBytes + row.bytes.activationBytes, 0);
    expect([weights, kvWrite, other]).toEqual([27_537_408, 131_072, 0]);
  });

  it('full-square prefill counts T·(P+T) pairs instead of the causal triangle', () => {
    // pairs 16·16 = 256 → score + value 2·2·256·8·64 = 524,288 per layer (causal: 278,528)
    const options: ConventionOptions = { ...paper, prefillAttention: 'full-square' };
    const ops = byOp(operatorRows(model('tiny-mha'), bf16, options, prefillShape(1, 16, 0, options)));
    expect((ops.attention_score?.flops ?? 0) + (ops.attention_value?.flops ?? 0)).toBe(4 * 524_288);
  });

  it('prefill over a cached prefix reads the prefix KV once and attends P + i keys', () => {
    // P = 100, T = 4: pairs 4·100 + 4·5/2 = 410 → score 2·410·8·64 = 419,840 per layer;
    // KV read: 100 tokens · 4 layers · 8·64 · 2 B = 409,600 for K (and the same for V).
    const ops = byOp(operatorRows(model('tiny-mha'), bf16, paper, prefillShape(1, 4, 100, paper)));
    expect(ops.attention_score?.flops).toBe(4 * 419_840);
    expect(ops.attention_score?.bytes.kvReadBytes).toBe(409_600);
    expect(ops.attention_value?.bytes.kvReadBytes).toBe(409_600);
  });

  it('decode with different context lengths per sequence', () => {
    // contexts [10, 20], each attends its context + the new token: 11 + 21 = 32 keys.
    // per layer: qkv 2·2·512·1536 = 3,145,728; out 2·2·512·512 = 1,048,576;
    // attention 2·2·32·8·64 = 65,536; FFN 2·2·512·1536·3 = 9,437,184 → 13,697,024; ×4 = 54,788,096;
    // lm_head 2·2·512·259 = 530,432 → 55,318,528.
    // KV read (10 + 20) · 4 · 2·8·64 · 2 B = 245,760; written 2 · 4 · 1024 · 2 B = 16,384.
    const rows = operatorRows(model('tiny-mha'), bf16, paper, decodeShape([10, 20], paper));
    expect(total(rows)).toBe(55_318_528);
    const kvRead = rows.reduce((sum, row) => sum + row.bytes.kvReadBytes, 0);
    const kvWrite = rows.reduce((sum, row) => sum + row.bytes.kvWriteBytes, 0);
    expect([kvRead, kvWrite]).toEqual([245_760, 16_384]);
  });

  it('counts elementwise FLOPs only when asked', () => {
    // oicf: norm 4/element over 4·2·16·512 + 16·512 = 73,728 elements = 294,912;
    // residual 1/element over 4·2·16·512 = 65,536; softmax 5 over 4·136·8 scores = 21,760;
    // SiLU·up 5/element over 4·16·1536 = 98,304 elements = 491,520.
    const oicf = CONVENTIONS.oicf;
    const ops = byOp(operatorRows(model('tiny-mha'), bf16, oicf, prefillShape(1, 16, 0, oicf)));
    expect([ops.norm?.flops, ops.residual?.flops, ops.softmax?.flops, ops.activation?.flops]).toEqual([
      294_912, 65_536, 21_760, 491_520,
    ]);
    const paperOps = byOp(operatorRows(model('tiny-mha'), bf16, paper, prefillShape(1, 16, 0, paper)));
    expect(paperOps.softmax).toBeUndefined();
    expect(paperOps.norm?.flops).toBe(0);
  });
});

describe('MoE expert weight bytes', () => {
  // tiny-moe decode of 4 sequences (4 tokens per MoE layer); one expert = 3·512·1024 = 1,572,864
  // elements = 3,145,728 B in bf16; 4 layers.
  //   all-experts 4·8·3,145,728 = 100,663,296
  //   expected-distinct 8·(1 − 0.75⁴) = 5.46875 experts → 4·5.46875·3,145,728 = 68,812,800
  //   top-k 4·2·3,145,728 = 25,165,824
  it.each([
    ['all-experts', 100_663_296],
    ['expected-distinct', 68_812_800],
    ['top-k', 25_165_824],
  ] as const)('%s', (moeWeights, expected) => {
    const options = { ...paper, moeWeights };
    const ops = byOp(operatorRows(model('tiny-moe'), bf16, options, decodeShape([5, 5, 5, 5], options)));
    expect(ops.experts?.bytes.weightBytes).toBeCloseTo(expected, 3);
    // FLOPs follow the routed tokens, whatever the weight mode: 4 layers · 2·(4·2)·512·1024·3
    expect(ops.experts?.flops).toBe(4 * 25_165_824);
  });
});

describe('MLA (DeepSeek-V3)', () => {
  it('decode attends in latent space (absorbed) and reads 576 elements per token per layer', () => {
    // context 1000 + the new token: score 2·1001·128·(512+64) = 147,603,456 per layer, ×61;
    // value 2·1001·128·512 = 131,203,072 per layer; KV read 1000 · 576 · 2 B · 61 = 70,272,000
    // (= 1000 tokens × the public 70,272 B/token).
    const ops = byOp(operatorRows(model('deepseek-v3'), bf16, paper, decodeShape([1000], paper)));
    expect(ops.attention_score?.flops).toBe(61 * 147_603_456);
    expect(ops.attention_value?.flops).toBe(61 * 131_203_072);
    expect(ops.attention_score?.bytes.kvReadBytes).toBe(70_272_000);
  });

  it('expanded mode up-projects every attended key with kv_b', () => {
    // 1 token after 9 cached = 10 keys: kv_b 2·10·512·128·(128+128) = 335,544,320 per layer;
    // score over qk dim 192: 2·10·128·192 = 491,520 per layer.
    const options: ConventionOptions = { ...paper, mlaAttention: 'expanded' };
    const ops = byOp(operatorRows(model('deepseek-v3'), bf16, options, decodeShape([9], options)));
    expect(ops.mla_kv_up?.flops).toBe(61 * 335_544_320);
    expect(ops.attention_score?.flops).toBe(61 * 491_520);
  });
});
