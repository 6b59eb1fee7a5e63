import { fail, ok } from './errors.js';
import type { PrecisionConfig, PrecisionId, Result } from './types.js';

/** Storage bytes per element. int4/fp4 pack two elements per byte (block scales not counted). */
export const BYTES_PER_ELEMENT: Readonly<Record<PrecisionId, number>> = {
  fp32: 4,
  bf16: 2,
  fp16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
  fp4: 0.5,
};

export const PRECISION_IDS: readonly PrecisionId[] = ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4', 'fp4'];

export function bytesPerElement(precision: PrecisionId): number {
  return BYTES_PER_ELEMENT[precision];
}

export function isPrecisionId(value: unknown): value is PrecisionId {
  return typeof value === 'string' && (PRECISION_IDS as readonly string[]).includes(value);
}

export type PrecisionPresetId = 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'w8a16' | 'w4a16' | 'fp4';

/** Named precision configs. `w4a16` is weight-only int4 (AWQ/GPTQ style) with bf16 KV and math. */
export const PRECISION_PRESETS: Readonly<Record<PrecisionPresetId, PrecisionConfig>> = {
  fp32: { weights: 'fp32', kv: 'fp32', activations: 'fp32' },
  bf16: { weights: 'bf16', kv: 'bf16', activations: 'bf16' },
  fp16: { weights: 'fp16', kv: 'fp16', activations: 'fp16' },
  fp8: { weights: 'fp8', kv: 'fp8', activations: 'fp8' },
  int8: { weights: 'int8', kv: 'int8', activations: 'int8' },
  w8a16: { weights: 'int8', kv: 'bf16', activations: 'bf16' },
  w4a16: { weights: 'int4', kv: 'bf16', activations: 'bf16' },
  fp4: { weights: 'fp4', kv: 'fp8', activations: 'fp4' },
};

export const PRECISION_PRESET_IDS: readonly string[] = Object.keys(PRECISION_PRESETS);

/** Preset by id, e.g. 'bf16', 'fp8', 'w4a16'. */
export function getPrecision(id: string): Result<PrecisionConfig> {
  const preset = (PRECISION_PRESETS as Readonly<Record<string, PrecisionConfig | undefined>>)[id];
  if (preset) return ok(preset);
  return fail({
    code: 'NOT_FOUND',
    message: `unknown precision '${id}'; valid: ${PRECISION_PRESET_IDS.join(', ')}`,
    validIds: PRECISION_PRESET_IDS,
  });
}

/** Preset id when `config` equals one, else `w<weights>-kv<kv>-a<activations>`. */
export function precisionLabel(config: PrecisionConfig): string {
  for (const [id, preset] of Object.entries(PRECISION_PRESETS)) {
    if (preset.weights === config.weights && preset.kv === config.kv && preset.activations === config.activations) {
      return id;
    }
  }
  return `w${config.weights}-kv${config.kv}-a${config.activations}`;
}
