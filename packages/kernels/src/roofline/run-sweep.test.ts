import { THIS_MACHINE_DESIGN_PROFILE, thisMachineDevice } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { kvElementsPerTokenPerLayer } from '../model/kv-layout.js';
import { microConfig } from '../model/presets.js';
import { syntheticKv } from './measure-point.js';
import { runSweep } from './run-sweep.js';

describe('runSweep (micro models)', () => {
  it('measures each point and pairs it with the @oicf/core prediction', async () => {
    const progress: string[] = [];
    const points = await runSweep(
      {
        size: 'micro',
        variants: ['gqa', 'moe'],
        precisions: ['int8'],
        prefillTokens: [12],
        decodeContexts: [20],
        decodeBatches: [2],
      },
      {
        device: thisMachineDevice(THIS_MACHINE_DESIGN_PROFILE),
        numRuns: 2,
        onProgress: (i, n, d) => progress.push(`${i + 1}/${n} ${d}`),
      },
    );
    expect(progress).toEqual([
      '1/4 micro-gqa int8 prefill 12 tokens',
      '2/4 micro-gqa int8 decode batch 2 at 20 tokens',
      '3/4 micro-moe int8 prefill 12 tokens',
      '4/4 micro-moe int8 decode batch 2 at 20 tokens',
    ]);
    for (const p of points) {
      expect(p.runsSeconds.length).toBe(2);
      expect(p.seconds).toBeGreaterThan(0);
      expect(p.achievedFlopsPerSecond).toBeCloseTo(p.flops / p.seconds, 0);
      expect(p.predictedSeconds).toBeGreaterThan(0);
    }
    // Dense GQA: counted matmul FLOPs and @oicf/core's are the same formula (lm_head on the last
    // token only, as the sweep's prefill graph computes).
    expect(points[0]?.matmulFlops).toBe(points[0]?.predictedFlops);
    expect(points[1]?.matmulFlops).toBe(points[1]?.predictedFlops);
    // Decode at 20 cached tokens, batch 2: KV read = 2 · 20 tokens · 2 layers · 64 elements · 4 B.
    expect(points[1]?.kvReadBytes).toBe(2 * 20 * 2 * 64 * 4);
  });

  it('aborts between points and returns what it measured', async () => {
    const controller = new AbortController();
    const points = await runSweep(
      {
        size: 'micro',
        variants: ['mqa'],
        precisions: ['fp32'],
        prefillTokens: [4, 8],
        decodeContexts: [],
        decodeBatches: [],
      },
      {
        device: thisMachineDevice(THIS_MACHINE_DESIGN_PROFILE),
        numRuns: 1,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    expect(points.length).toBe(1);
    expect(points[0]?.readProbe).toBeUndefined(); // not asked for
  });

  it('records the read probe before and after each point when asked (16, 32 and 64 MiB working sets)', async () => {
    const points = await runSweep(
      {
        size: 'micro',
        variants: ['mqa'],
        precisions: ['fp32'],
        prefillTokens: [4, 8],
        decodeContexts: [],
        decodeBatches: [],
      },
      { device: thisMachineDevice(THIS_MACHINE_DESIGN_PROFILE), numRuns: 1, readProbe: true },
    );
    expect(points.map((p) => p.readProbe?.map((r) => r.mib))).toEqual([
      [16, 32, 64],
      [16, 32, 64],
    ]);
    expect(points.map((p) => p.readProbeAfter?.map((r) => r.mib))).toEqual([
      [16, 32, 64],
      [16, 32, 64],
    ]);
    for (const p of points)
      for (const r of [...(p.readProbe ?? []), ...(p.readProbeAfter ?? [])]) expect(r.gbps).toBeGreaterThan(0);
  });
});

describe('syntheticKv', () => {
  it('fills every element of every layer deterministically', () => {
    const c = microConfig('mla');
    const layers = syntheticKv(c, 300, 1);
    expect(layers.length).toBe(2);
    expect(layers[0]?.byteLength).toBe(300 * kvElementsPerTokenPerLayer(c) * 4);
    const v = new Float32Array(layers[1]?.buffer ?? new ArrayBuffer(0));
    expect(v.every((x) => x !== 0 && Math.abs(x) <= 1)).toBe(true);
    expect(syntheticKv(c, 300, 1)[1]).toEqual(layers[1]);
  });
});
