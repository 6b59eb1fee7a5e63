import { describe, expect, it } from 'vitest';
import { overridesFor, parseCompareSpec, variantSlug } from './compare-spec.js';

describe('compare variants', () => {
  it.each([
    ['policy', 'oicf-cost', { policy: 'oicf-cost' }, 'policy-oicf-cost'],
    ['mode', 'colocated', { mode: 'colocated' }, 'mode-colocated'],
    ['emulate', 'llama-3.1-70b@h100', { emulate: 'llama-3.1-70b@h100' }, 'emulate-llama-3.1-70b-h100'],
    // The baseline: no pacing at all (null clears whatever the base config emulates).
    ['emulate', 'none', { emulate: null }, 'emulate-none'],
  ] as const)('%s=%s', (key, value, overrides, slug) => {
    expect(overridesFor(key, value)).toEqual(overrides);
    expect(variantSlug(key, value)).toBe(slug);
  });
});

describe('parseCompareSpec', () => {
  it('emulate=none is a value: the baseline at this machine’s speed beside emulated targets', () => {
    expect(parseCompareSpec('emulate=none,llama-3.1-70b@h100')).toEqual({
      ok: true,
      spec: { key: 'emulate', values: ['none', 'llama-3.1-70b@h100'] },
    });
  });

  it('reads a key and two or more values, trimming spaces', () => {
    expect(parseCompareSpec('policy= round-robin, oicf-cost')).toEqual({
      ok: true,
      spec: { key: 'policy', values: ['round-robin', 'oicf-cost'] },
    });
  });

  it.each([
    ['round-robin', "expected <key>=<v1>,<v2>,... with key policy, mode, emulate; got 'round-robin'"],
    ['speed=1,2', "unknown key 'speed'; use one of policy, mode, emulate"],
    ['mode=colocated', 'mode: give at least two values to compare, got 1'],
    ['mode=colocated,colocated', "mode: 'colocated' is listed twice"],
    ['mode=colocated,mixed', "mode 'mixed' is not one of disaggregated, colocated"],
    ['emulate=h100,llama-3.1-70b@h100', "emulate 'h100' must look like <model>@<device>, e.g. llama-3.1-70b@h100"],
  ])('%j → %s', (text, error) => {
    expect(parseCompareSpec(text)).toEqual({ ok: false, error });
  });
});
