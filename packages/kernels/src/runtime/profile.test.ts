import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countGraph } from '../count/count-graph.js';
import { microConfig } from '../model/presets.js';
import { KernelRunner } from './kernel-runner.js';
import { operatorPoints, parseProfile, readProfiles } from './profile.js';

describe('parseProfile', () => {
  it('sums kernel times per node and per operator type, and lists run times', () => {
    const trace = [
      { cat: 'Session', name: 'model_run', dur: 1500 },
      { cat: 'Node', name: 'a_fence_before', dur: 1, args: { op_name: 'MatMul' } },
      { cat: 'Node', name: 'a_kernel_time', dur: 1000, args: { op_name: 'MatMul' } },
      { cat: 'Node', name: 'b_kernel_time', dur: 200, args: { op_name: 'Add' } },
      { cat: 'Session', name: 'model_run', dur: 1300 },
      { cat: 'Node', name: 'a_kernel_time', dur: 800, args: { op_name: 'MatMul' } },
    ];
    const p = parseProfile(JSON.stringify(trace));
    expect(p.runSeconds).toEqual([0.0015, 0.0013]);
    expect(p.nodes).toEqual([
      { node: 'a', opType: 'MatMul', numCalls: 2, totalSeconds: 0.0018 },
      { node: 'b', opType: 'Add', numCalls: 1, totalSeconds: 0.0002 },
    ]);
    expect(p.byOpType.map((o) => o.opType)).toEqual(['MatMul', 'Add']);
    expect(() => parseProfile('{}', 'x.json')).toThrow(/x.json: an onnxruntime profile is a JSON array/);
  });

  it('reads a real onnxruntime profile and joins it with the counted graph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oicf-profile-'));
    try {
      const runner = new KernelRunner({ config: microConfig('gqa'), profileDir: dir });
      await runner.prefill('s', [1, 2, 3, 4, 5, 6, 7, 8]);
      const step = await runner.decodeStep(['s'], [9]);
      const profiles = await runner.endProfiling();
      expect(profiles.map((p) => p.graph.name)).toEqual(['micro-gqa.prefill', 'micro-gqa.decode.b1']);
      expect(readProfiles(dir).length).toBe(2);
      const decode = profiles[1];
      if (decode === undefined) throw new Error('no decode profile');
      expect(decode.profile.runSeconds.length).toBe(1);
      // Our node names survive into the profile (e.g. the per-head cache score Gemm).
      expect(decode.profile.nodes.some((n) => n.node === 'l0.attn.b0.h1.scores_cache' && n.opType === 'Gemm')).toBe(
        true,
      );
      const count = countGraph(decode.graph, { dims: { 'contextTokens.b0': 8 } });
      const points = operatorPoints(decode.profile, count);
      const gemm = points.find((p) => p.opType === 'Gemm');
      // 2 layers × 2 KV heads of Gemm(q [2,16], K [8,16]ᵀ): 2·2·8·16 = 512 FLOPs each.
      expect(gemm?.flops).toBe(2 * 2 * 512);
      expect(gemm?.seconds).toBeGreaterThan(0);
      expect(step.stats.count.matmulFlops).toBeGreaterThan(0);
      await runner.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
