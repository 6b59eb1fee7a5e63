import { describe, expect, it } from 'vitest';
import { DecodeGraphs } from './graph-build.js';

const cost = { secondsPerGraph: 0.2, secondsPerSequence: 0.01, kTileTokens: 256, warmedBatches: [1] };

describe('DecodeGraphs', () => {
  it('charges the first step of each (batch, short/tiled) graph once, never the warmed batch', () => {
    const g = new DecodeGraphs(cost);
    // Batch 1 is warmed at start in both forms.
    expect(g.buildSeconds([10])).toBe(0);
    expect(g.buildSeconds([300])).toBe(0);
    // Batch 2, both contexts under the 256-token tile: the short graph, 0.2 + 2 × 0.01 = 0.22 s.
    expect(g.buildSeconds([10, 255])).toBeCloseTo(0.22, 12);
    // The same graph again: built.
    expect(g.buildSeconds([20, 30])).toBe(0);
    // Batch 2 with one context at the tile: the tiled graph, a second build of 0.22 s.
    expect(g.buildSeconds([10, 256])).toBeCloseTo(0.22, 12);
    expect(g.buildSeconds([400, 500])).toBe(0);
    // Batch 5 tiled: 0.2 + 5 × 0.01 = 0.25 s.
    expect(g.buildSeconds([1, 2, 3, 4, 1000])).toBeCloseTo(0.25, 12);
  });

  it('has one form per batch when the model has no short-context graphs (tile 0)', () => {
    const g = new DecodeGraphs({ ...cost, kTileTokens: 0, warmedBatches: [] });
    // Batch 1 not warmed here: 0.2 + 0.01 = 0.21 s, and short contexts take the same (tiled) graph.
    expect(g.buildSeconds([10])).toBeCloseTo(0.21, 12);
    expect(g.buildSeconds([300])).toBe(0);
  });

  it('keeps each worker apart: another worker builds its own', () => {
    const a = new DecodeGraphs(cost);
    const b = new DecodeGraphs(cost);
    expect(a.buildSeconds([1, 2, 3])).toBeCloseTo(0.23, 12);
    expect(b.buildSeconds([1, 2, 3])).toBeCloseTo(0.23, 12);
  });
});
