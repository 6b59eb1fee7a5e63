import { describe, expect, it } from 'vitest';
import { countConfigurations, enumerateConfigurations } from './enumerate.js';
import { parseSpace } from './resolve-space.js';

describe('space.json', () => {
  it('keeps TP only within the scale-up domain and dividing the heads, and says what it left out', () => {
    // Llama-3.1-70B has 64 heads. H100 domains hold 8 devices; Rubin CPX has no scale-up link (1);
    // GB200 NVL72 holds 72, but 72 does not divide 64.
    const r = parseSpace({
      model: 'llama-3.1-70b',
      modes: ['colocated'],
      decode: { devices: ['h100', 'rubin-cpx', 'gb200'], tp: [1, 16, 64, 72], instances: [1] },
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.decodePools.map((p) => `${p[0]?.deviceId}/${p[0]?.tp}`)).toEqual([
      'h100/1',
      'rubin-cpx/1',
      'gb200/1',
      'gb200/16',
      'gb200/64',
    ]);
    expect(r.value.skipped).toEqual([
      'decode h100 tp16: beyond its scale-up domain of 8',
      'decode h100 tp64: beyond its scale-up domain of 8',
      'decode h100 tp72: beyond its scale-up domain of 8',
      'decode rubin-cpx tp16: beyond its scale-up domain of 1',
      'decode rubin-cpx tp64: beyond its scale-up domain of 1',
      'decode rubin-cpx tp72: beyond its scale-up domain of 1',
      'decode gb200 tp72: 64 heads do not split over 72',
    ]);
  });

  it('counts and enumerates modes × pools × tier stacks × policies in one order', () => {
    const r = parseSpace({
      model: 'llama-3-8b',
      prefill: { devices: ['h100'], tp: [1], instances: [1, 2] },
      decode: { devices: ['h200'], tp: [1], instances: [1] },
      kvTiers: [[], ['dram', 'cxl']],
      policies: ['oicf-cost', 'round-robin'],
    });
    if (!r.ok) throw new Error(r.error.message);
    // disaggregated: 2 prefill × 1 decode × 2 tiers × 2 policies = 8; colocated: 1 × 2 × 2 = 4.
    expect(countConfigurations(r.value)).toBe(12);
    const ids = enumerateConfigurations(r.value).map((c) => `${c.index} ${c.id}`);
    expect(ids.slice(0, 3)).toEqual([
      '0 dis p=h100×1 tp1 d=h200×1 tp1 kv=hbm oicf-cost',
      '1 dis p=h100×1 tp1 d=h200×1 tp1 kv=hbm round-robin',
      '2 dis p=h100×1 tp1 d=h200×1 tp1 kv=hbm+dram+cxl oicf-cost',
    ]);
    expect(ids.at(-1)).toBe('11 col both=h200×1 tp1 kv=hbm+dram+cxl round-robin');
  });

  it('reports every problem with its path', () => {
    const r = parseSpace({
      model: 'llama-9',
      decode: { devices: ['h100', 'tpu-v9'], tp: [0] },
      kvTiers: [['optical']],
      policies: ['fastest'],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // A disaggregated mode (a default) without prefill devices is refused too.
    expect(r.error.issues?.map((i) => i.path)).toEqual(['decode.tp[0]', 'prefill.devices']);
    const r2 = parseSpace({
      model: 'llama-9',
      modes: ['colocated'],
      decode: { devices: ['tpu-v9'] },
      kvTiers: [['optical']],
      policies: ['fastest'],
    });
    if (r2.ok) throw new Error('expected problems');
    expect(r2.error.issues?.map((i) => i.path)).toEqual(['model', 'policies[0]', 'kvTiers[0][0]', 'decode.devices[0]']);
    expect(r2.error.message).toMatch(/unknown tier 'optical'; valid: dram, cxl, optical-pool, disk/);
  });
});
