import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { unwrap } from '../errors.js';
import { getModel } from '../models/lookup.js';
import type { FieldIssue, Result } from '../types.js';
import { parseDeviceSpec } from './device-schema.js';
import { parseModelSpec } from './model-schema.js';
import { parseWorkflowSpec } from './workflow-schema.js';
import { numberField, strictFields } from './zod-fields.js';
import { parseWith } from './zod-issues.js';

// The cases parse.test.ts does not cover: relations between fields, unions, nested unknown keys, and
// how zod's issues become paths.

function issues<T>(result: Result<T>): FieldIssue[] {
  if (result.ok) throw new Error('expected a failure');
  expect(result.error.code).toBe('INVALID_ARGUMENT');
  return [...(result.error.issues ?? [])];
}

const llama = JSON.parse(JSON.stringify(unwrap(getModel('llama-3.1-70b'))));
const device = {
  id: 'd',
  peakFlopsPerSecond: { bf16: 1e15 },
  memoryCapacityBytes: 8e10,
  memoryBandwidthBytesPerSecond: 3e12,
};

describe('model relations', () => {
  it('numKvHeads above numHeads names the bound it came from', () => {
    // Llama-3.1-70B has 64 query heads.
    expect(issues(parseModelSpec({ ...llama, numKvHeads: 80 }))).toEqual([
      { path: 'numKvHeads', message: 'must be an integer ≥ 1 and ≤ numHeads (64), got 80' },
    ]);
  });

  it('headDim has no default when hiddenSize is not a multiple of numHeads', () => {
    const { headDim: _, ...noHeadDim } = llama;
    // 8190 / 64 = 127.97…: no whole head dimension.
    expect(issues(parseModelSpec({ ...noHeadDim, hiddenSize: 8190 }))).toEqual([
      {
        path: 'headDim',
        message:
          'must be an integer ≥ 1: hiddenSize (8190) is not a multiple of numHeads (64), so it has no default; got nothing (missing)',
      },
    ]);
    // 8192 / 64 = 128, Llama's own head dimension.
    expect(unwrap(parseModelSpec({ ...noHeadDim })).headDim).toBe(128);
  });

  it('shared experts need their intermediate size; without them it defaults to 0', () => {
    const moe = { numExperts: 8, topK: 2, expertIntermediateSize: 1024 };
    expect(issues(parseModelSpec({ ...llama, moe: { ...moe, numSharedExperts: 2 } }))).toEqual([
      {
        path: 'moe.sharedExpertIntermediateSize',
        message: 'must be an integer ≥ 1 when numSharedExperts > 0 (2), got nothing (missing)',
      },
    ]);
    expect(unwrap(parseModelSpec({ ...llama, moe })).moe).toEqual({
      ...moe,
      numSharedExperts: 0,
      sharedExpertIntermediateSize: 0,
      numDenseLayers: 0,
    });
  });

  it('checks a relation even while another field of the same object is bad', () => {
    const moe = { numExperts: 8, topK: 9, expertIntermediateSize: -1 };
    expect(issues(parseModelSpec({ ...llama, moe })).map((i) => i.path)).toEqual([
      'moe.expertIntermediateSize',
      'moe.topK',
    ]);
  });

  it('rejects Infinity, NaN and fractional counts', () => {
    const found = issues(parseModelSpec({ ...llama, numLayers: Number.POSITIVE_INFINITY, vocabSize: 1.5 }));
    expect(found).toEqual([
      { path: 'numLayers', message: 'must be an integer ≥ 1, got Infinity' },
      { path: 'vocabSize', message: 'must be an integer ≥ 1, got 1.5' },
    ]);
  });
});

describe('device links and peaks', () => {
  it('an inline link reports its own fields by path, unknown keys first', () => {
    const link = { id: 'wire', bandwidth: 1e11, latencySeconds: -1 };
    expect(issues(parseDeviceSpec({ ...device, scaleUp: { link, maxDomainDevices: 4 } }))).toEqual([
      { path: 'scaleUp.link.bandwidth', message: expect.stringMatching(/^unknown field; valid: id, displayName/) },
      { path: 'scaleUp.link.bandwidthBytesPerSecond', message: 'must be a number > 0, got nothing (missing)' },
      { path: 'scaleUp.link.latencySeconds', message: 'must be a number ≥ 0, got -1' },
    ]);
  });

  it('a link that is neither an id nor an object says both forms', () => {
    expect(issues(parseDeviceSpec({ ...device, scaleUp: { link: 5, maxDomainDevices: 4 } }))).toEqual([
      {
        path: 'scaleUp.link',
        message: expect.stringMatching(/^must be a catalog link id \(nvlink4, .*\) or a link object, got 5$/),
      },
    ]);
  });

  it('needs at least one peak', () => {
    expect(issues(parseDeviceSpec({ ...device, peakFlopsPerSecond: {} }))).toEqual([
      { path: 'peakFlopsPerSecond', message: 'must list at least one of fp32, bf16, fp16, fp8, int8, int4, fp4' },
    ]);
  });
});

describe('workflow ranges', () => {
  it('defaults the distribution to uniform and the optional ranges to 0', () => {
    const parsed = unwrap(
      parseWorkflowSpec({
        id: 'w',
        numTurns: { min: 2, max: 4 },
        outputTokensPerTurn: { min: 10, max: 10 },
        maxContextTokens: 8,
      }),
    );
    expect(parsed.numTurns).toEqual({ min: 2, max: 4, distribution: 'uniform' });
    expect(parsed.gapSeconds).toEqual({ min: 0, max: 0, distribution: 'uniform' });
    expect(parsed.displayName).toBe('w');
  });

  it('takes fractional seconds but not fractional token counts', () => {
    const w = { id: 'w', numTurns: { min: 2, max: 4 }, outputTokensPerTurn: { min: 1, max: 1.5 }, maxContextTokens: 8 };
    expect(issues(parseWorkflowSpec({ ...w, gapSeconds: { min: 0.5, max: 2.5 } }))).toEqual([
      { path: 'outputTokensPerTurn.max', message: 'must be an integer ≥ 0, got 1.5' },
    ]);
  });
});

describe('parseWith', () => {
  const schema = strictFields({ a: numberField({ min: 0 }), inner: strictFields({ b: numberField({ min: 0 }) }) });

  it('lists nested unknown keys before the fields of their object, each with its full path', () => {
    const result = parseWith(schema, { a: -1, inner: { b: -2, c: 1, d: 2 }, e: 0 }, 'thing');
    expect(issues(result)).toEqual([
      { path: 'e', message: 'unknown field; valid: a, inner' },
      { path: 'a', message: 'must be a number ≥ 0, got -1' },
      { path: 'inner.c', message: 'unknown field; valid: b' },
      { path: 'inner.d', message: 'unknown field; valid: b' },
      { path: 'inner.b', message: 'must be a number ≥ 0, got -2' },
    ]);
    expect(!result.ok && result.error.message.split('\n')[0]).toBe('invalid thing (5 problems):');
  });

  it('names array elements by index and the value itself as (root)', () => {
    expect(issues(parseWith(z.array(numberField({ min: 0 })), [1, -1], 'list'))).toEqual([
      { path: '[1]', message: 'must be a number ≥ 0, got -1' },
    ]);
    expect(issues(parseWith(schema, 'text', 'thing'))).toEqual([
      { path: '(root)', message: "must be an object, got 'text'" },
    ]);
  });
});
