import { costStructure, presetConfig, structureFeatures } from '@oicf/kernels/step-time';
import { describe, expect, it } from 'vitest';
import { judgedSamples, parsePointLabel } from './sim-fidelity-judged-samples.js';

describe('parsePointLabel', () => {
  it('reads prefill and decode labels back into the step they ran', () => {
    expect(parsePointLabel('tiny-gqa fp32 prefill 8192')).toEqual({
      modelId: 'tiny-gqa',
      weights: 'fp32',
      query: { phase: 'prefill', numNewTokens: 8192, cachedTokens: 0 },
    });
    // b4 L1024: four sequences of 1,024 cached tokens each.
    expect(parsePointLabel('tiny-mla int8 decode b4 L1024')).toEqual({
      modelId: 'tiny-mla',
      weights: 'int8',
      query: { phase: 'decode', contextTokens: [1024, 1024, 1024, 1024] },
    });
  });
  it('names a label that is not a roofline point', () => {
    expect(() => parsePointLabel('tiny-gqa fp32 warmup')).toThrow(/'tiny-gqa fp32 warmup': not a roofline point label/);
  });
});

describe('judgedSamples', () => {
  it('keeps the clean rows only, with their measured seconds, and the rms and max of their errors', () => {
    const rows = [
      { label: 'tiny-gqa fp32 prefill 2048', measuredSeconds: 0.5, predictedSeconds: 0.55, error: 0.1, clean: true },
      { label: 'tiny-gqa fp32 prefill 4096', measuredSeconds: 2, predictedSeconds: 1.4, error: -0.3, clean: false },
      {
        label: 'tiny-gqa fp32 decode b1 L128',
        measuredSeconds: 0.004,
        predictedSeconds: 0.0032,
        error: -0.2,
        clean: true,
      },
    ];
    const { samples, crossValidation } = judgedSamples(rows);
    expect(samples.map((s) => [s.label, s.seconds])).toEqual([
      ['tiny-gqa fp32 prefill 2048', 0.5],
      ['tiny-gqa fp32 decode b1 L128', 0.004],
    ]);
    // Errors of the clean rows 0.1 and −0.2: rms √((0.01 + 0.04) ÷ 2) = √0.025 ≈ 0.1581, max 0.2.
    expect(crossValidation.rmsRelativeError).toBeCloseTo(Math.sqrt(0.025), 12);
    expect(crossValidation.maxRelativeError).toBeCloseTo(0.2, 12);
    // The features are the preset's counted ones at the label's shape: a 2,048-token prefill is two
    // 1,024-token chunks, the second over the first's cache, so its attention (queries × keys) is
    // 1,024 × 1,024 + 1,024 × 2,048 = 3 × one chunk's, its session runs 2.
    const s = costStructure(presetConfig('tiny-gqa', { weights: 'fp32', maxPositions: 65_536 }));
    const one = structureFeatures(s, { phase: 'prefill', numNewTokens: 1024, cachedTokens: 0 });
    expect(samples[0]?.features).toEqual(
      structureFeatures(s, { phase: 'prefill', numNewTokens: 2048, cachedTokens: 0 }),
    );
    expect(samples[0]?.features.broadcastAttentionFlops).toBe(3 * one.broadcastAttentionFlops);
    expect(samples[0]?.features.numRuns).toBe(2);
  });

  it("'usable' keeps every row with ≥ 3 usable repeats at its measured (usable-median) seconds, clean or not", () => {
    const rows = [
      {
        label: 'tiny-gqa fp32 prefill 2048',
        measuredSeconds: 0.5,
        predictedSeconds: 0.5,
        error: 0,
        clean: true,
        numUsable: 5,
      },
      // Not clean (its repeats disagree) but 4 usable: kept at its usable median.
      {
        label: 'tiny-gqa fp32 decode b16 L128',
        measuredSeconds: 0.009,
        predictedSeconds: 0.03,
        error: 2,
        clean: false,
        numUsable: 4,
      },
      // Only 2 usable repeats: left out.
      {
        label: 'tiny-gqa fp32 decode b1 L128',
        measuredSeconds: 0.004,
        predictedSeconds: 0.004,
        error: 0,
        clean: false,
        numUsable: 2,
      },
      // No count at all (an older judge file): left out.
      {
        label: 'tiny-gqa fp32 decode b4 L128',
        measuredSeconds: 0.005,
        predictedSeconds: 0.005,
        error: 0,
        clean: false,
      },
    ];
    expect(judgedSamples(rows, 'usable').samples.map((s) => [s.label, s.seconds])).toEqual([
      ['tiny-gqa fp32 prefill 2048', 0.5],
      ['tiny-gqa fp32 decode b16 L128', 0.009],
    ]);
    // The default is unchanged: the clean row only.
    expect(judgedSamples(rows).samples.map((s) => s.label)).toEqual(['tiny-gqa fp32 prefill 2048']);
  });
});
