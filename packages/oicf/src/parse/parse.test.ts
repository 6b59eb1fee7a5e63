import { describe, expect, it } from 'vitest';
import { unwrap } from '../errors.js';
import { getModel } from '../models/lookup.js';
import type { FieldIssue, Result } from '../types.js';
import { parseDeviceSpec } from './device-schema.js';
import { parseModelSpec } from './model-schema.js';
import { parseTargetSpec, targetSpecProblems } from './parse-target.js';
import { parseWorkflowSpec } from './workflow-schema.js';

function issues<T>(result: Result<T>): FieldIssue[] {
  if (result.ok) throw new Error('expected a failure');
  expect(result.error.code).toBe('INVALID_ARGUMENT');
  return [...(result.error.issues ?? [])];
}

const mixtral = JSON.parse(JSON.stringify(unwrap(getModel('mixtral-8x7b'))));

describe('parseModelSpec', () => {
  it('reports every bad field at once, by path', () => {
    const bad = {
      ...mixtral,
      numLayers: 0,
      hiddenSize: 'big',
      numLayer: 32,
      moe: { ...mixtral.moe, topK: 9 },
      ffn: { intermediateSize: 14336 },
    };
    expect(issues(parseModelSpec(bad))).toEqual([
      { path: 'numLayer', message: expect.stringMatching(/^unknown field; valid: id, displayName/) },
      { path: 'numLayers', message: 'must be an integer ≥ 1, got 0' },
      { path: 'hiddenSize', message: "must be an integer ≥ 1, got 'big'" },
      { path: 'ffn.gated', message: 'must be true or false, got nothing (missing)' },
      { path: 'moe.topK', message: 'must be an integer ≥ 1 and ≤ numExperts (8), got 9' },
    ]);
  });

  it('puts every issue in the message', () => {
    const result = parseModelSpec({ id: 'x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/^invalid model \(\d+ problems\):/);
    expect(result.error.message).toContain('numLayers: must be an integer ≥ 1, got nothing (missing)');
    expect(result.error.message).toContain('ffn: must be an object');
  });

  it('checks GQA divisibility and MoE dense layers', () => {
    const bad = { ...mixtral, numKvHeads: 5, moe: { ...mixtral.moe, numDenseLayers: 33 } };
    expect(issues(parseModelSpec(bad))).toEqual([
      { path: 'numKvHeads', message: 'must divide numHeads (32), got 5' },
      { path: 'moe.numDenseLayers', message: 'must be an integer ≥ 0 and ≤ numLayers (32), got 33' },
    ]);
  });

  it('fills documented defaults', () => {
    const minimal = {
      id: 'mine',
      numLayers: 2,
      hiddenSize: 256,
      numHeads: 4,
      vocabSize: 100,
      ffn: { intermediateSize: 512, gated: false },
      maxContextTokens: 1024,
      mla: { kvLoraRank: 64, qkNopeHeadDim: 32, qkRopeHeadDim: 16, vHeadDim: 32 },
    };
    expect(parseModelSpec(minimal)).toEqual({
      ok: true,
      value: {
        ...minimal,
        displayName: 'mine',
        source: 'user JSON',
        numKvHeads: 4,
        headDim: 48, // MLA: nope 32 + rope 16
        tiedEmbeddings: false,
        mla: { ...minimal.mla, qLoraRank: 0 },
      },
    });
  });

  it('rejects a non-object', () => {
    expect(issues(parseModelSpec([1, 2]))).toEqual([{ path: '(root)', message: 'must be an object, got an array' }]);
  });
});

describe('parseDeviceSpec', () => {
  it('validates peaks, sizes and the scale-up link', () => {
    const bad = {
      id: 'x',
      peakFlopsPerSecond: { bf16: -1, fp64: 1e12 },
      memoryCapacityBytes: 0,
      memoryBandwidthBytesPerSecond: 1e12,
      scaleUp: { link: 'nvlink9', maxDomainDevices: 8 },
    };
    const found = issues(parseDeviceSpec(bad));
    expect(found.map((issue) => issue.path)).toEqual([
      'memoryCapacityBytes',
      'peakFlopsPerSecond.fp64',
      'peakFlopsPerSecond.bf16',
      'scaleUp.link',
    ]);
    expect(found[3]?.message).toMatch(/^unknown link 'nvlink9'; valid: nvlink4, nvlink5/);
  });

  it('accepts a catalog link id or an inline link', () => {
    const device = {
      id: 'mine',
      peakFlopsPerSecond: { fp8: 2e15 },
      memoryCapacityBytes: 1e11,
      memoryBandwidthBytesPerSecond: 4e12,
      scaleUp: { link: { id: 'wire', bandwidthBytesPerSecond: 1e11, latencySeconds: 1e-6 }, maxDomainDevices: 4 },
    };
    const parsed = unwrap(parseDeviceSpec(device));
    expect(parsed.scaleUp?.link).toEqual({
      id: 'wire',
      displayName: 'wire',
      source: 'user JSON',
      bandwidthBytesPerSecond: 1e11,
      latencySeconds: 1e-6,
    });
  });
});

describe('parseWorkflowSpec', () => {
  it('validates ranges', () => {
    const bad = {
      id: 'w',
      numTurns: { min: 5, max: 2 },
      outputTokensPerTurn: { min: 0, max: 10, distribution: 'log-uniform' },
      gapSeconds: { min: 1, max: 2, distribution: 'normal' },
      maxContextTokens: 0,
    };
    expect(issues(parseWorkflowSpec(bad))).toEqual([
      { path: 'numTurns.max', message: 'must be ≥ min (5), got 2' },
      { path: 'outputTokensPerTurn.min', message: 'must be > 0 for a log-uniform range' },
      { path: 'gapSeconds.distribution', message: "must be 'uniform' or 'log-uniform', got normal" },
      { path: 'maxContextTokens', message: 'must be an integer ≥ 1, got 0' },
    ]);
  });
});

describe('parseTargetSpec', () => {
  it('reads <model>@<device> from the catalogs', () => {
    const t = unwrap(parseTargetSpec('llama-3.1-70b@h100'));
    expect([t.model.id, t.device.id]).toEqual(['llama-3.1-70b', 'h100']);
  });

  it.each([
    ['llama', ['must look like <model>@<device>, e.g. llama-3.1-70b@h100, got "llama"']],
    ['Llama@H100', ['must look like <model>@<device>, e.g. llama-3.1-70b@h100, got "Llama@H100"']],
    ['llama-3.1-70b@tpu', [expect.stringMatching(/^unknown device 'tpu'; valid: h100, /)]],
    [
      'gpt@tpu',
      [expect.stringMatching(/^unknown model 'gpt'; valid: /), expect.stringMatching(/^unknown device 'tpu'/)],
    ],
  ])('%s: one problem per fault', (spec, problems) => {
    expect(targetSpecProblems(spec)).toEqual(problems);
  });
});
