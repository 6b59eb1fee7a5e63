import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countGraph } from '../count/count-graph.js';
import { buildDecodeGraph } from '../model/build-graphs.js';
import { microConfig } from '../model/presets.js';
import { WeightStore } from '../model/weight-store.js';
import { KernelRunner } from './kernel-runner.js';
import { operatorPoints, parseProfile, readProfiles, roleTimes } from './profile.js';

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
    // As onnxruntime writes them: a run's node events, then its model_run. skipRuns 1 drops run 1.
    const ordered = [trace[2], trace[3], trace[0], trace[5], trace[4]];
    const skipped = parseProfile(JSON.stringify(ordered), 'x.json', { skipRuns: 1 });
    expect(skipped.runSeconds).toEqual([0.0013]);
    expect(skipped.nodes).toEqual([{ node: 'a', opType: 'MatMul', numCalls: 1, totalSeconds: 0.0008 }]);
    expect(() => parseProfile('{}', 'x.json')).toThrow(/x.json: an onnxruntime profile is a JSON array/);
  });

  it('roleTimes splits kernel time by what the nodes read; fused nodes join their source by prefix', () => {
    const graph = buildDecodeGraph(new WeightStore(microConfig('gqa')), 1);
    const count = countGraph(graph, { dims: { 'contextTokens.b0': 8 } });
    const trace = [
      { cat: 'Session', name: 'model_run', dur: 900 },
      // L = 8 < T = 256: no sealed tile; the Concat of both heads' open K rows [1, 8, 16] reads
      // 2·8·16·4 = 1024 KV bytes.
      { cat: 'Node', name: 'l0.attn.b0.k_open_kernel_time', dur: 100, args: { op_name: 'Concat' } },
      // W_o fused with the residual add by onnxruntime: 64·64·4 = 16384 weight bytes.
      { cat: 'Node', name: 'l0.attn.w_o.matmul/MatMulAddFusion_kernel_time', dur: 200, args: { op_name: 'Gemm' } },
      { cat: 'Node', name: 'l0.attn.b0.softmax_kernel_time', dur: 50, args: { op_name: 'Softmax' } },
      { cat: 'Node', name: 'Squeeze_token_3_kernel_time', dur: 10, args: { op_name: 'Squeeze' } },
    ];
    const roles = roleTimes(parseProfile(JSON.stringify(trace)), count);
    expect(roles.map((r) => [r.role, r.numNodes, r.seconds, r.bytes])).toEqual([
      ['kv-read', 1, 0.0001, 1024],
      ['weight-read', 1, 0.0002, 16_384],
      // Softmax over [H, L+1] = [4, 9] fp32 reads 144 bytes.
      ['other', 1, 0.00005, 144],
      ['fused', 1, 0.00001, 0],
    ]);
    expect(roles[0]?.bytesPerSecond).toBeCloseTo(1024 / 0.0001, 6);
  });

  it('reads a real onnxruntime profile and joins it with the counted graph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oicf-profile-'));
    try {
      // 4-token K tiles: the 8 cached tokens seal two, so this is the tiled decode graph.
      const runner = new KernelRunner({ config: microConfig('gqa'), profileDir: dir, kTileTokens: 4 });
      await runner.prefill('s', [1, 2, 3, 4, 5, 6, 7, 8]);
      const step = await runner.decodeStep(['s'], [9]);
      const profiles = await runner.endProfiling();
      expect(profiles.map((p) => p.graph.name)).toEqual(['micro-gqa.prefill', 'micro-gqa.decode.b1']);
      expect(readProfiles(dir).length).toBe(2);
      const decode = profiles[1];
      if (decode === undefined) throw new Error('no decode profile');
      expect(decode.profile.runSeconds.length).toBe(1);
      // Our node names survive into the profile (e.g. the per-head p·V MatMul over V blocks).
      expect(decode.profile.nodes.some((n) => n.node === 'l0.attn.b0.h1.context_blocks' && n.opType === 'MatMul')).toBe(
        true,
      );
      const count = countGraph(decode.graph, { dims: { 'contextTokens.b0': 8 } });
      const points = operatorPoints(decode.profile, count);
      const softmax = points.find((p) => p.opType === 'Softmax');
      // One Softmax per layer over [H, L+1] = [4, 9] scores at 5 FLOPs per element, 2 layers.
      expect(softmax?.flops).toBe(2 * 5 * 4 * 9);
      expect(softmax?.seconds).toBeGreaterThan(0);
      expect(step.stats.count.matmulFlops).toBeGreaterThan(0);
      await runner.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a batch shorter than a K tile on the short-context graph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oicf-profile-'));
    try {
      const runner = new KernelRunner({ config: microConfig('gqa'), profileDir: dir }); // 256-token tiles
      await runner.prefill('s', [1, 2, 3, 4, 5, 6, 7, 8]);
      await runner.decodeStep(['s'], [9]);
      const profiles = await runner.endProfiling();
      const decode = profiles[1];
      expect(decode?.graph.name).toBe('micro-gqa.decode.b1.short');
      // Attention batched over KV heads in one MatMul per product: no per-head block MatMuls.
      const names = decode?.profile.nodes.map((n) => n.node) ?? [];
      expect(names).toContain('l0.attn.b0.context');
      expect(names.some((n) => n.includes('context_blocks'))).toBe(false);
      await runner.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
