import { lookupById } from '../catalog-lookup.js';
import type { ModelSpec, Result } from '../types.js';
import { MODELS } from './catalog.js';

export const MODEL_IDS: readonly string[] = MODELS.map((model) => model.id);

export function getModel(id: string): Result<ModelSpec> {
  return lookupById('model', MODELS, id);
}
