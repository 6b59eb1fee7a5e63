import { describe, expect, it } from 'vitest';
import { microConfig } from '../model/presets.js';
import { KernelRunner } from './kernel-runner.js';
import { trafficFromProfile } from './traffic.js';

describe('trafficFromProfile', () => {
  it('sums activation_size + output_size over the first run’s kernel events, plus the weights', () => {
    // Run 1: a (300 in, 100 out) and b (50 in, 20 out) → 470 bytes; run 2 after model_run ignored.
    const trace = [
      { cat: 'Node', name: 'a_fence_before', args: {} },
      { cat: 'Node', name: 'a_kernel_time', args: { activation_size: '300', output_size: '100' } },
      { cat: 'Node', name: 'b_kernel_time', args: { activation_size: '50', output_size: '20' } },
      { cat: 'Session', name: 'model_run' },
      { cat: 'Node', name: 'a_kernel_time', args: { activation_size: '999', output_size: '999' } },
    ];
    expect(trafficFromProfile(JSON.stringify(trace), 1000)).toEqual({
      activationBytes: 470,
      weightBytes: 1000,
      movedBytes: 1470,
      numNodesExecuted: 2,
    });
    expect(() =>
      trafficFromProfile(JSON.stringify([{ cat: 'Node', name: 'x_kernel_time', args: {} }]), 0, 'p.json'),
    ).toThrow(/p\.json: node event x_kernel_time has no activation_size\/output_size/);
  });
});

describe('KernelRunner traffic probe', () => {
  it('measures the next step of the last graph once, then steps run unprobed', async () => {
    const r = new KernelRunner({ config: microConfig('gqa'), maxTokensPerSequence: 64 });
    try {
      await r.prefill('s', [1, 2, 3, 4, 5, 6, 7, 8]);
      const first = await r.decodeStep(['s'], [9]);
      expect(first.stats.traffic).toBeUndefined();
      expect(await r.armTrafficProbe()).toBe(true);
      const probed = await r.decodeStep(['s'], [10]);
      const t = probed.stats.traffic;
      if (t === undefined) throw new Error('no traffic measured');
      // The executed kernels read at least the cache the step attends to (9 tokens · 2 layers ·
      // 2 kv heads · (k + v) · 16 floats · 4 B = 4,608 B), and weights are the counted ones.
      expect(t.activationBytes).toBeGreaterThanOrEqual(probed.stats.count.kvReadBytes);
      expect(probed.stats.count.kvReadBytes).toBe(4_608);
      expect(t.weightBytes).toBe(probed.stats.count.weightBytes);
      expect(t.numNodesExecuted).toBeGreaterThan(0);
      expect(probed.stats.measuredIntensityFlopsPerByte).toBeCloseTo(probed.stats.count.flops / t.movedBytes, 9);
      expect((await r.decodeStep(['s'], [11])).stats.traffic).toBeUndefined();
    } finally {
      await r.close();
    }
  });
});
