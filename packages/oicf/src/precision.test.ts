import { describe, expect, it } from 'vitest';
import { BYTES_PER_ELEMENT, getPrecision, PRECISION_PRESET_IDS, precisionLabel } from './precision.js';

describe('precision', () => {
  it('stores fp32 in 4 bytes, 16-bit in 2, 8-bit in 1 and 4-bit in half a byte', () => {
    expect(BYTES_PER_ELEMENT).toEqual({ fp32: 4, bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5, fp4: 0.5 });
  });

  it('looks up presets and lists the valid ones on a miss', () => {
    expect(getPrecision('w4a16')).toEqual({ ok: true, value: { weights: 'int4', kv: 'bf16', activations: 'bf16' } });
    const miss = getPrecision('fp2');
    expect(miss.ok).toBe(false);
    if (!miss.ok) expect(miss.error.message).toBe(`unknown precision 'fp2'; valid: ${PRECISION_PRESET_IDS.join(', ')}`);
  });

  it('labels presets by id and other configs by their parts', () => {
    expect(precisionLabel({ weights: 'fp8', kv: 'fp8', activations: 'fp8' })).toBe('fp8');
    expect(precisionLabel({ weights: 'int4', kv: 'fp8', activations: 'bf16' })).toBe('wint4-kvfp8-abf16');
  });
});
