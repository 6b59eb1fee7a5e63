import { describe, expect, it } from 'vitest';
import { OicfCoreError } from '../errors.js';
import type { ConventionName } from '../types.js';
import { CONVENTION_NAMES, CONVENTIONS, getConvention, resolveConvention } from './presets.js';

describe('convention presets', () => {
  it('every preset sets every option (no preset silently inherits)', () => {
    const keys = Object.keys(CONVENTIONS.oicf).sort();
    for (const name of CONVENTION_NAMES) expect(Object.keys(CONVENTIONS[name]).sort()).toEqual(keys);
  });

  it('pins the choices docs/oicf.md §9 states', () => {
    expect(CONVENTIONS.paper).toMatchObject({
      prefillAttention: 'causal',
      activationTraffic: 'none',
      countElementwiseFlops: false,
    });
    expect(CONVENTIONS['llm-viewer']).toMatchObject({
      prefillAttention: 'full-square',
      activationTraffic: 'unfused',
      lmHeadTokens: 'last',
      lmHeadFlopsPerMac: 1,
      normFlopsPerElement: 7,
      decodeAttendsNewToken: false,
    });
    expect(CONVENTIONS.oicf).toMatchObject({ prefillAttention: 'causal', activationTraffic: 'fused' });
  });

  it('lists valid names for an unknown one', () => {
    expect(getConvention('vllm')).toEqual({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: "unknown convention 'vllm'; valid: paper, llm-viewer, oicf",
        validIds: CONVENTION_NAMES,
      },
    });
    expect(() => resolveConvention('vllm' as ConventionName)).toThrow(OicfCoreError);
  });
});
