import { describe, expect, it } from 'vitest';
import { OicfCoreError, unwrap } from '../errors.js';
import { getDevice } from '../hardware/devices.js';
import { getModel } from '../models/lookup.js';
import { PRECISION_PRESETS } from '../precision.js';
import { getWorkflow } from '../workflows/catalog.js';
import { simulateSession } from '../workflows/simulate-session.js';
import { fitWeightsSharding } from './fit-sharding.js';
import { sweep } from './sweep.js';
import { trajectory } from './trajectory.js';

const bf16 = PRECISION_PRESETS.bf16;
const coding = unwrap(getWorkflow('coding'));
const model = (id: string) => unwrap(getModel(id));
const device = (id: string) => unwrap(getDevice(id));

describe('trajectory', () => {
  const run = (seed: number) =>
    trajectory(coding, model('llama-3-8b'), device('h100'), bf16, 'paper', { seed, numTurns: 30 });

  it('is deterministic per seed', () => {
    expect(run(3)).toEqual(run(3));
    expect(run(3).points).not.toEqual(run(4).points);
  });

  it('has a prefill and a decode point per turn, following the simulated session', () => {
    const result = run(1);
    // the session is capped at the model's 8,192-token context
    const turns = simulateSession({ ...coding, maxContextTokens: 8192 }, 1, 30);
    expect(result.turns).toEqual(turns);
    expect(result.points.length).toBe(60);
    const first = result.points[0];
    expect(first?.phase).toBe('prefill');
    expect(first?.numTokens).toBe(turns[0]?.numNewInputTokens);
    expect(result.points[1]?.phase).toBe('decode');
    // decode runs at the mean context of its steps: start + (output − 1)/2
    const t0 = turns[0];
    if (!t0) throw new Error('no turn');
    expect(result.points[1]?.contextTokens).toBe(Math.round(t0.numNewInputTokens + (t0.numOutputTokens - 1) / 2));
    expect(result.convention).toBe('paper');
  });

  it("decodes at the largest batch that fits ('max'), so the batch falls as context grows", () => {
    const decode = run(1).points.filter((point) => point.phase === 'decode');
    for (const point of decode) expect(point.batch).toBe(Math.max(1, Math.min(256, point.batchMax)));
    // Llama-3-8B on H100 at ≤ 8k context: (80e9 − 16.06e9)/(8192 · 131,072) ≥ 59 sequences fit
    expect(Math.min(...decode.map((p) => p.batch))).toBeGreaterThanOrEqual(59);
  });

  it('long coding sessions push decode to low OI and high CF', () => {
    const long = trajectory(coding, model('llama-3.1-70b'), device('h200'), bf16, 'paper', {
      seed: 1,
      numTurns: 30,
      sharding: 'fit-weights',
    });
    const decode = long.points.filter((p) => p.phase === 'decode');
    const first = decode[0];
    const last = decode.at(-1);
    if (!first || !last) throw new Error('no decode points');
    expect(last.contextTokens).toBeGreaterThan(5 * first.contextTokens);
    expect(last.operationalIntensityFlopsPerByte).toBeLessThan(first.operationalIntensityFlopsPerByte);
    expect(last.capacityFootprintBytes).toBeGreaterThan(first.capacityFootprintBytes);
    // GQA ratio 8: decode OI cannot exceed the weight-amortised bound by much at long context
    expect(last.regime).toBe('bandwidth-bound');
  });
});

describe('fitWeightsSharding', () => {
  it.each([
    // 141.1 GB of weights: 0.5 · 2 · 80e9 = 80e9 < 141e9 ≤ 0.5 · 4 · 80e9 = 160e9 → 4
    ['llama-3.1-70b', 'h100', 4, 'tensor'],
    // 16.1 GB ≤ 0.5 · 80e9 → 1
    ['llama-3-8b', 'h100', 1, 'tensor'],
    // 1,342 GB: needs 14.4 GB200s → 16 in the 72-GPU domain
    ['deepseek-v3', 'gb200', 16, 'tensor+expert'],
    // 8 is the HGX limit even though 1,342 GB > 0.5 · 8 · 80e9
    ['deepseek-v3', 'h100', 8, 'tensor+expert'],
    // no scale-up link: stays at one device
    ['llama-3.1-70b', 'rubin-cpx', 1, 'tensor'],
  ])('%s on %s → %i (%s)', (modelId, deviceId, numDevices, strategy) => {
    expect(fitWeightsSharding(model(modelId), device(deviceId), bf16)).toEqual({ numDevices, strategy });
  });
});

describe('sweep', () => {
  it('returns flat rows: workflows × models × devices × precisions × turns × 2', () => {
    const rows = sweep({
      workflows: ['chat', 'coding'],
      models: ['llama-3-8b', 'mixtral-8x7b'],
      devices: ['h100', 'lpddr-decode', 'b200'],
      precisions: ['bf16', 'fp8'],
      numTurns: 4,
    });
    expect(rows.length).toBe(2 * 2 * 3 * 2 * 4 * 2);
    expect(new Set(rows.map((row) => `${row.workflowId}/${row.modelId}/${row.deviceId}/${row.precisionId}`)).size).toBe(
      24,
    );
    expect(rows.every((row) => row.convention === 'oicf')).toBe(true);
  });

  it('throws NOT_FOUND listing valid ids for an unknown id', () => {
    expect(() => sweep({ models: ['gpt-5'] })).toThrow(OicfCoreError);
    expect(() => sweep({ models: ['gpt-5'] })).toThrow(/unknown model 'gpt-5'; valid: llama-2-7b, /);
    expect(() => sweep({ precisions: ['fp2'] })).toThrow(/unknown precision 'fp2'; valid: fp32, bf16/);
  });

  it('the default sweep covers 4 workflows × 7 models × 7 devices × 3 precisions × 30 turns', () => {
    const rows = sweep();
    expect(rows.length).toBe(4 * 7 * 7 * 3 * 30 * 2);
    const regimes = new Set(rows.map((row) => row.regime));
    expect([...regimes].sort()).toEqual([
      'bandwidth-bound',
      'capacity-and-bandwidth-bound',
      'capacity-bound',
      'compute-bound',
    ]);
  });
});
