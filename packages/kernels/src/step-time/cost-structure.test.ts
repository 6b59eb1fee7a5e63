import { describe, expect, it } from 'vitest';
import { countGraph } from '../count/count-graph.js';
import { buildDecodeGraph, buildPrefillGraph } from '../model/build-graphs.js';
import { microConfig } from '../model/presets.js';
import { WeightStore } from '../model/weight-store.js';
import { costStructure, structureFeatures } from './cost-structure.js';
import { addFeatures } from './feature-vector.js';
import { type StepFeatures, stepFeatures } from './step-features.js';

// The closed forms must give what counting the real graph at the same shape gives. The oracle is
// the per-node counter on the graph the runner would build (an independent path: it walks every
// node at concrete dims; the closed forms only saw a handful of probe shapes).

/**
 * Every column equal, except activation bytes within 2 % (micro models: a few hundred bytes of
 * thousands; far less in tiny ones): in a tiled batch a sequence with no
 * sealed tile yet reads nothing through its (empty) tile MatMul, and the V block split rounds by
 * a row, so a few hundred bytes of activation traffic are not affine in the context (≈ 0.1 µs).
 */
function expectSame(a: StepFeatures, b: StepFeatures): void {
  const exact = (f: StepFeatures) => [
    f.numRuns,
    f.numNodes,
    f.numInputs,
    f.gemmFlops.fp32,
    f.gemmFlops.fp16,
    f.gemmFlops.int8,
    f.weightBytes.fp32,
    f.weightBytes.fp16,
    f.weightBytes.int8,
    f.attentionFlops,
    f.kvReadBytes,
    f.dequantBytes,
    f.attentionGemmFlops,
    f.kvStreamBytes,
    f.residentBytes,
  ];
  const [x, y] = [exact(a), exact(b)];
  x.forEach((v, i) => {
    expect(v).toBeCloseTo(y[i] ?? Number.NaN, 3);
  });
  expect(Math.abs(a.activationBytes / b.activationBytes - 1)).toBeLessThan(0.02);
}

describe('costStructure / structureFeatures', () => {
  describe.each([
    ['gqa', 'fp32'],
    ['mha', 'int8'],
    ['mla', 'int8'],
    ['mla', 'fp16'],
  ] as const)('micro-%s %s', (variant, weights) => {
    const config = microConfig(variant, { weights });
    const structure = costStructure(config, { kTileTokens: 16, prefillChunkTokens: 40 });
    const store = new WeightStore(config);

    it.each([
      [1, 0],
      [25, 0],
      [17, 90],
      [40, 3],
    ])('prefill %i tokens over %i cached equals the counted graph', (T, P) => {
      const g = buildPrefillGraph(store, { logits: 'last', kTileTokens: 16 });
      const direct = stepFeatures(
        g,
        countGraph(g, { dims: { numNewTokens: T, numPastTokens: P, numContextTokens: P + T } }),
      );
      expectSame(structureFeatures(structure, { phase: 'prefill', numNewTokens: T, cachedTokens: P }), direct);
    });

    it.each([[[3]], [[15, 2, 9]], [[40]], [[16, 33, 7, 100, 1]]])(
      'decode at contexts %j equals the counted graph',
      (contexts) => {
        // Short graph only when every context is below the 16-token tile (and the model is not MLA).
        const short = config.mla === undefined && contexts.every((L) => L < 16);
        const g = buildDecodeGraph(store, contexts.length, { kTileTokens: 16, short });
        const dims = Object.fromEntries(contexts.map((L, b) => [`contextTokens.b${b}`, L]));
        expectSame(
          structureFeatures(structure, { phase: 'decode', contextTokens: contexts }),
          stepFeatures(g, countGraph(g, { dims })),
        );
      },
    );
  });

  it('a prefill longer than the chunk is the runner’s chunks over the growing prefix', () => {
    // prefillChunkTokens 40: 100 new tokens over 5 cached run as 40 over 5, 40 over 45, 20 over 85.
    const s = costStructure(microConfig('gqa'), { prefillChunkTokens: 40 });
    const f = (T: number, P: number) => structureFeatures(s, { phase: 'prefill', numNewTokens: T, cachedTokens: P });
    expectSame(f(100, 5), addFeatures(addFeatures(f(40, 5), f(40, 45)), f(20, 85)));
  });

  it('MoE reads only the expected distinct experts’ weights', () => {
    const config = microConfig('moe');
    const s = costStructure(config);
    const g = buildDecodeGraph(new WeightStore(config), 1);
    // Counted with the default expectation every expert of every layer is read; one token reads
    // top-k = 2 of the 4 experts: E·(1 − (1 − 2/4)^1) = 2. Each micro expert is a SwiGLU of
    // 3 · 64 · 64 fp32 weights = 49,152 bytes per layer, × 2 layers = 98,304 bytes; so 2 unread
    // experts drop 196,608 bytes.
    const all = stepFeatures(g, countGraph(g, { dims: { 'contextTokens.b0': 20 } }));
    const expected = structureFeatures(s, { phase: 'decode', contextTokens: [20] });
    expect(s.moe?.expertWeightBytes.fp32).toBe(98_304);
    expect(all.weightBytes.fp32 - expected.weightBytes.fp32).toBeCloseTo(196_608, 6);
    // The same experts' weights leave the resident set.
    expect(all.residentBytes - expected.residentBytes).toBeCloseTo(196_608, 6);
  });
});
