import { describe, expect, it } from 'vitest';
import { defaultClusterConfig } from './cluster-config.js';
import { applyOverrides } from './overrides.js';

describe('applyOverrides', () => {
  it('sets the policy, the mode and both worker kinds’ emulation target, leaving the rest', () => {
    const base = defaultClusterConfig();
    const got = applyOverrides(base, { policy: 'round-robin', mode: 'colocated', emulate: 'llama-3.1-70b@h100' });
    if (!got.ok) throw new Error(got.errors.join('\n'));
    expect(got.value.router.policy).toBe('round-robin');
    expect(got.value.mode).toBe('colocated');
    expect(got.value.prefill.emulate).toBe('llama-3.1-70b@h100');
    expect(got.value.decode.emulate).toBe('llama-3.1-70b@h100');
    expect(got.value.decode.count).toBe(base.decode.count);
    expect(applyOverrides(base, {})).toEqual({ ok: true, value: base });
  });

  it('emulate null clears the base config’s targets (the emulate=none baseline)', () => {
    const base = applyOverrides(defaultClusterConfig(), { emulate: 'llama-3.1-70b@h100' });
    if (!base.ok) throw new Error(base.errors.join('\n'));
    const got = applyOverrides(base.value, { emulate: null });
    if (!got.ok) throw new Error(got.errors.join('\n'));
    expect([got.value.prefill.emulate, got.value.decode.emulate]).toEqual([undefined, undefined]);
  });

  it('reports an invalid result by path', () => {
    const got = applyOverrides(defaultClusterConfig(), { emulate: 'not a target' });
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.errors.join('\n')).toMatch(/prefill\.emulate: must look like <model>@<device>/);
  });
});
