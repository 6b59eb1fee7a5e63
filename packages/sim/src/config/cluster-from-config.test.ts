import { applyOverrides, defaultClusterConfig, parseClusterConfig } from '@oicf/cluster';
import type { StepTimeModel } from '@oicf/core';
import { emulationTarget, kvCapacityTokens } from '@oicf/worker';
import { describe, expect, it } from 'vitest';
import { clusterFromConfig } from './cluster-from-config.js';

const calibrated: StepTimeModel = { kind: 'calibrated', label: 'fit', stepSeconds: () => 0.001 };

describe('clusterFromConfig', () => {
  it('the default cluster: 2 prefill and 2 decode workers of tiny-gqa, oicf-cost, a 512 MiB dram pool', () => {
    const c = clusterFromConfig(defaultClusterConfig(), { calibrated });
    expect(c.workers.map((w) => [w.workerId, w.role, w.kvCapacityBytes, w.maxBatch, w.maxContextTokens])).toEqual([
      ['prefill-0', 'prefill', 256 * 2 ** 20, 16, 8192],
      ['prefill-1', 'prefill', 256 * 2 ** 20, 16, 8192],
      ['decode-0', 'decode', 256 * 2 ** 20, 16, 8192],
      ['decode-1', 'decode', 256 * 2 ** 20, 16, 8192],
    ]);
    // tiny-gqa fp32 KV: 4 layers × 2 × 2 kv heads × 64 × 4 B = 4096 B per token.
    expect(c.kvBytesPerToken).toBe(4096);
    expect(c.router.policy).toBe('oicf-cost');
    expect(c.workers.every((w) => w.stepTime === calibrated && w.link === undefined)).toBe(true);
    expect(c.pool?.tiers).toEqual([
      { id: 'dram', capacityBytes: 512 * 2 ** 20, bandwidthBytesPerSecond: 63e9, latencySeconds: 2e-6, paced: false },
    ]);
    expect(c.pool?.recompute).toEqual({ modelId: 'tiny-gqa', deviceId: 'h100', precision: 'bf16' });
  });

  it('takes the router’s queue bounds and health timeouts from the config, as the router does', () => {
    expect(clusterFromConfig(defaultClusterConfig(), { calibrated }).router.queueLimits).toEqual({
      maxQueuedPerWorker: 32,
      maxQueueSeconds: 30,
    });
    const res = parseClusterConfig({
      router: { workerTimeoutSeconds: 30, workerDropSeconds: 120, queue: { maxQueuedPerWorker: 128 } },
    });
    if (!res.ok) throw new Error(res.errors.join('; '));
    const r = clusterFromConfig(res.value, { calibrated }).router;
    expect([r.workerTimeoutSeconds, r.workerDropSeconds, r.queueLimits]).toEqual([
      30,
      120,
      { maxQueuedPerWorker: 128, maxQueueSeconds: 30 },
    ]);
  });

  it('under --emulate: the target’s step model and capacity in tiny bytes, its link paced per transfer', () => {
    const config = applyOverrides(defaultClusterConfig(), { emulate: 'llama-3.1-70b@h100', mode: 'colocated' });
    if (!config.ok) throw new Error(config.errors.join('; '));
    const c = clusterFromConfig(config.value, { calibrated });
    const target = emulationTarget('llama-3.1-70b@h100', 'rdma-400g');
    // Colocated: only the decode workers, as 'both'.
    expect(c.workers.map((w) => [w.workerId, w.role])).toEqual([
      ['decode-0', 'both'],
      ['decode-1', 'both'],
    ]);
    const w = c.workers[0];
    // 545,936 tokens the 4 × H100 domain holds after weights (emulation-target tests), × 4096 tiny bytes.
    expect(w?.kvCapacityBytes).toBe(kvCapacityTokens(target) * 4096);
    expect(w?.stepTime.kind).toBe('oicf');
    expect(w?.stepTime.label).toBe('llama-3.1-70b@h100');
    expect(w?.computeTime).toBe(calibrated);
    // rdma-400g: 50 GB/s; 70B KV 327,680 B per token.
    expect(w?.link).toEqual({
      bandwidthBytesPerSecond: 50e9,
      latencySeconds: 2e-6,
      bytesPerToken: 327_680,
      sharing: 'independent',
    });
    expect(c.pool?.recompute).toEqual({ modelId: 'llama-3.1-70b', deviceId: 'h100', precision: 'bf16' });
  });

  it('under --emulate without a calibrated model, the real kernel’s time is the analytic one of the tiny model', () => {
    const config = applyOverrides(defaultClusterConfig(), { emulate: 'llama-3.1-70b@h100' });
    if (!config.ok) throw new Error(config.errors.join('; '));
    const w = clusterFromConfig(config.value).workers[0];
    expect(w?.computeTime?.label).toBe('tiny-gqa on this machine (analytic)');
    expect(clusterFromConfig(config.value).host?.cores).toBe(2);
  });

  it('each worker’s step demands its side’s onnxruntime threads of the shared host', () => {
    const res = parseClusterConfig({ prefill: { threads: 2 } });
    if (!res.ok) throw new Error(res.errors.join('; '));
    const c = clusterFromConfig(res.value, { calibrated, cores: 4 });
    // prefill threads 2 (set), decode threads 1 (the cluster config's default).
    expect(c.workers.map((w) => [w.workerId, w.hostThreads])).toEqual([
      ['prefill-0', 2],
      ['prefill-1', 2],
      ['decode-0', 1],
      ['decode-1', 1],
    ]);
    expect([c.host?.cores, c.host?.threadsPerStep]).toEqual([4, 1]);
  });

  it('asks for the calibrated model when the workers run the real kernels', () => {
    expect(() => clusterFromConfig(defaultClusterConfig())).toThrow(/run 'oicf roofline', or use --step-model oicf/);
  });
});
