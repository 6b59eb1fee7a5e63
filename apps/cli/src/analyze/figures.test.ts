import { DEVICES, getDevice, getModel, getWorkflow, MODELS, resolveConvention, unwrap } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import {
  type FigureFocus,
  fitWeightsFor,
  focusTrajectories,
  pickFigureDevices,
  pickFigureModel,
  planeDevice,
  planeSpec,
  rooflineSpec,
} from './figures.js';

const bf16 = { weights: 'bf16', kv: 'bf16', activations: 'bf16' } as const;
const h100 = unwrap(getDevice('h100'));
const llama70b = unwrap(getModel('llama-3.1-70b'));

function focus(overrides: Partial<FigureFocus> = {}): FigureFocus {
  return {
    model: llama70b,
    precision: bf16,
    precisionId: 'bf16',
    devices: [h100],
    decodeBatch: 16,
    shardingFor: () => ({ numDevices: 8, strategy: 'tensor' }),
    workflows: [unwrap(getWorkflow('coding')), unwrap(getWorkflow('chat'))],
    numTurns: 5,
    seed: 1,
    convention: resolveConvention('paper'),
    ...overrides,
  };
}

describe('figure focus', () => {
  it('prefers the long-context GQA model and a contrasting device set when the user chose nothing', () => {
    expect(pickFigureModel(MODELS, false)?.id).toBe('llama-3.1-70b');
    expect(pickFigureModel(MODELS, true)?.id).toBe(MODELS[0]?.id);
    expect(pickFigureDevices(DEVICES, false).map((d) => d.id)).toEqual(['h100', 'mi300x', 'b200', 'lpddr-decode']);
    expect(pickFigureDevices(DEVICES.slice(2), true).map((d) => d.id)).toEqual(DEVICES.slice(2, 6).map((d) => d.id));
  });

  it('draws a device as its domain: per-device ridge, N × capacity', () => {
    // 8 × 80 GB; bf16 peak 989.4 TFLOP/s over 3.35 TB/s.
    expect(planeDevice(h100, focus())).toEqual({
      name: 'h100 ×8',
      peakFlopsPerSecond: 989.4e12,
      bandwidthBytesPerSecond: 3.35e12,
      memoryCapacityBytes: 640e9,
    });
    // fit-weights: 141 GB of bf16 weights need 4 H100s to stay within half their memory (4 · 40 GB = 160 GB).
    expect(fitWeightsFor(llama70b, bf16)(h100)?.numDevices).toBe(4);
  });

  it('plots one decode trajectory per workflow on the plane and both phases on the roofline', () => {
    const f = focus();
    const trajectories = focusTrajectories(f);
    expect(trajectories.map((t) => [t.workflowId, t.points.length])).toEqual([
      ['coding', 10],
      ['chat', 10],
    ]);
    const plane = planeSpec(f, trajectories, {
      name: 'this query',
      point: { capacityFootprintBytes: 1e9, intensityFlopsPerByte: 8 },
    });
    expect(plane.numConcurrentRequests).toBe(16);
    expect(plane.series?.map((s) => [s.name, s.points.length])).toEqual([
      ['Coding agent (decode)', 5],
      ['Chat (decode)', 5],
      ['this query', 1],
    ]);
    // Decode points use the trajectory's numbers unchanged.
    const decode = trajectories[0]?.points.filter((p) => p.phase === 'decode') ?? [];
    expect(plane.series?.[0]?.points.map((p) => p.capacityFootprintBytes)).toEqual(
      decode.map((p) => p.capacityFootprintBytes),
    );
    const roof = rooflineSpec(f, trajectories);
    expect(roof.series?.map((s) => s.points.length)).toEqual([10, 10]);
    // Per-device predicted FLOP/s: FLOPs over (8 devices · step seconds).
    const p0 = trajectories[0]?.points[0];
    expect(roof.series?.[0]?.points[0]?.flopsPerSecond).toBe((p0?.flops ?? 0) / (8 * (p0?.stepSeconds ?? 1)));
    expect(plane.title).toContain('paper convention');
    expect(roof.title).toContain('paper convention');
  });
});
