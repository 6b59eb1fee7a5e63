import { DEVICES, getDevice, getModel, getWorkflow, MODELS, resolveConvention, sweep, unwrap } from '@oicf/core';
import { type PlaneDevice, planeRegion } from '@oicf/plot';
import { describe, expect, it } from 'vitest';
import {
  type FigureFocus,
  figureWallBatch,
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

describe('the pictures and the tables agree on the decode batch', () => {
  // The issue: a sweep's table used the largest batch that fits at each point (4 at the longest contexts)
  // while the plane said "decode batch 32". Now the plane uses the sweep's batches, point by point.
  const coding = unwrap(getWorkflow('coding'));
  const sweepFocus = focus({
    decodeBatch: 'max',
    workflows: [coding],
    numTurns: 30,
    shardingFor: fitWeightsFor(llama70b, bf16),
  });

  it('draws each decode point at the batch the sweep table used for it, and says so', () => {
    const rows = sweep({
      workflows: [coding],
      models: [llama70b],
      devices: [h100],
      precisions: [bf16],
      numTurns: 30,
      seed: 1,
      convention: resolveConvention('paper').options,
      decodeBatch: 'max',
      sharding: 'fit-weights',
    }).filter((r) => r.phase === 'decode');
    const plane = planeSpec(sweepFocus, focusTrajectories(sweepFocus));
    const points = plane.series?.[0]?.points ?? [];
    expect(points.map((p) => p.numConcurrentRequests)).toEqual(rows.map((r) => r.batch));
    // Each point's region, judged at its own batch, is the regime the sweep table counts.
    const device = plane.devices[0] as PlaneDevice;
    expect(points.map((p) => planeRegion(p, device, plane.numConcurrentRequests))).toEqual(rows.map((r) => r.regime));
    const smallest = Math.min(...rows.map((r) => r.batch));
    const largest = Math.max(...rows.map((r) => r.batch));
    // 141 GB of bf16 weights on 4 H100s (320 GB) leave room for fewer sequences as the context grows.
    expect(smallest).toBeLessThan(largest);
    expect(plane.numConcurrentRequests).toBe(smallest);
    expect(plane.subtitle).toContain(
      `Decode batch: largest that fits per point (${smallest}–${largest}, see labels); wall = domain memory ÷ ${smallest};`,
    );
    expect(points.at(-1)?.label).toMatch(new RegExp(`, batch ${rows.at(-1)?.batch}$`));
    // The roofline names the batch too.
    const roof = rooflineSpec(sweepFocus, focusTrajectories(sweepFocus));
    expect(roof.series?.[0]?.points[1]?.label).toBe(`turn 1 decode, batch ${rows[0]?.batch}`);
  });

  it('keeps a fixed batch for a point query and says that one', () => {
    const plane = planeSpec(focus({ decodeBatch: 8 }), focusTrajectories(focus({ decodeBatch: 8 })));
    expect(plane.subtitle?.startsWith('Decode batch 8; wall = domain memory ÷ 8;')).toBe(true);
    expect(new Set(plane.series?.flatMap((s) => s.points.map((p) => p.numConcurrentRequests)))).toEqual(new Set([8]));
  });

  it('draws the wall at the smallest batch under max, so every point that fits lies left of it', () => {
    expect(figureWallBatch('max', [32, 16, 8, 4])).toBe(4);
    expect(figureWallBatch(16, [16])).toBe(16);
    expect(figureWallBatch('max', [])).toBe(1);
  });
});
