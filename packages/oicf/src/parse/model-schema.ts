import type { MlaSpec, ModelSpec, MoeSpec, Result } from '../types.js';
import {
  ALWAYS_FOR_OBJECTS,
  flagField,
  naturalNumber,
  numberContract,
  numberField,
  positiveInteger,
  record,
  strictFields,
  textField,
  validNumber,
} from './zod-fields.js';
import { parseWith } from './zod-issues.js';

const positive = numberField(positiveInteger);
const natural = numberField(naturalNumber);

const ffnSchema = strictFields({ intermediateSize: positive, gated: flagField() });

/** MoE block: topK ≤ numExperts; shared experts need their intermediate size. */
export const moeSpecSchema = strictFields({
  numExperts: positive,
  topK: positive,
  expertIntermediateSize: positive,
  numSharedExperts: natural.default(0),
  sharedExpertIntermediateSize: natural.optional(),
  numDenseLayers: natural.default(0),
})
  .superRefine((moe, ctx) => {
    const numExperts = validNumber(moe.numExperts, positiveInteger);
    const topK = validNumber(moe.topK, positiveInteger);
    if (numExperts !== undefined && topK !== undefined && topK > numExperts) {
      const rule = { ...positiveInteger, max: numExperts, maxLabel: 'numExperts' };
      ctx.addIssue({ code: 'custom', path: ['topK'], message: `${numberContract(rule)}, got ${topK}` });
    }
    const numShared = validNumber(moe.numSharedExperts ?? 0, naturalNumber) ?? 0;
    if (numShared > 0 && validNumber(moe.sharedExpertIntermediateSize, positiveInteger) === undefined) {
      const got =
        moe.sharedExpertIntermediateSize === undefined ? 'nothing (missing)' : String(moe.sharedExpertIntermediateSize);
      const message = `${numberContract(positiveInteger)} when numSharedExperts > 0 (${numShared}), got ${got}`;
      ctx.addIssue({ code: 'custom', path: ['sharedExpertIntermediateSize'], message });
    }
  }, ALWAYS_FOR_OBJECTS)
  .transform((moe): MoeSpec => ({ ...moe, sharedExpertIntermediateSize: moe.sharedExpertIntermediateSize ?? 0 }));

/** Multi-head latent attention (DeepSeek-V2/V3). */
export const mlaSpecSchema = strictFields({
  kvLoraRank: positive,
  qLoraRank: natural.default(0),
  qkNopeHeadDim: positive,
  qkRopeHeadDim: natural,
  vHeadDim: positive,
}).transform((mla): MlaSpec => mla);

const modelFields = strictFields({
  id: textField(),
  displayName: textField().optional(),
  source: textField().default('user JSON'),
  numLayers: positive,
  hiddenSize: positive,
  numHeads: positive,
  numKvHeads: positive.optional(),
  headDim: positive.optional(),
  vocabSize: positive,
  tiedEmbeddings: flagField().default(false),
  ffn: ffnSchema,
  moe: moeSpecSchema.optional(),
  mla: mlaSpecSchema.optional(),
  maxContextTokens: positive,
});

/**
 * An untrusted model description (e.g. a user's JSON file). Defaults: displayName = id, source = 'user
 * JSON', tiedEmbeddings false, headDim = hiddenSize / numHeads (MLA: qkNopeHeadDim + qkRopeHeadDim),
 * numKvHeads = numHeads, moe.numSharedExperts 0, moe.numDenseLayers 0, mla.qLoraRank 0. Relations:
 * numKvHeads ≤ numHeads and divides it (unless MLA), moe.numDenseLayers ≤ numLayers.
 */
export const modelSpecSchema = modelFields
  .superRefine((model, ctx) => {
    const numHeads = validNumber(model.numHeads, positiveInteger);
    const numKvHeads = validNumber(model.numKvHeads, positiveInteger);
    if (numHeads !== undefined && numKvHeads !== undefined) {
      if (numKvHeads > numHeads) {
        const rule = { ...positiveInteger, max: numHeads, maxLabel: 'numHeads' };
        ctx.addIssue({ code: 'custom', path: ['numKvHeads'], message: `${numberContract(rule)}, got ${numKvHeads}` });
      } else if (model.mla === undefined && numHeads % numKvHeads !== 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['numKvHeads'],
          message: `must divide numHeads (${numHeads}), got ${numKvHeads}`,
        });
      }
    }
    const hiddenSize = validNumber(model.hiddenSize, positiveInteger);
    if (model.headDim === undefined && model.mla === undefined && hiddenSize !== undefined && numHeads !== undefined) {
      if (hiddenSize % numHeads !== 0) {
        const message = `${numberContract(positiveInteger)}: hiddenSize (${hiddenSize}) is not a multiple of numHeads (${numHeads}), so it has no default; got nothing (missing)`;
        ctx.addIssue({ code: 'custom', path: ['headDim'], message });
      }
    }
    const numLayers = validNumber(model.numLayers, positiveInteger);
    const numDenseLayers = validNumber(record(model.moe)?.numDenseLayers, naturalNumber);
    if (numLayers !== undefined && numDenseLayers !== undefined && numDenseLayers > numLayers) {
      const rule = { ...naturalNumber, max: numLayers, maxLabel: 'numLayers' };
      ctx.addIssue({
        code: 'custom',
        path: ['moe', 'numDenseLayers'],
        message: `${numberContract(rule)}, got ${numDenseLayers}`,
      });
    }
  }, ALWAYS_FOR_OBJECTS)
  .transform(
    ({ moe, mla, displayName, numKvHeads, headDim, ...model }): ModelSpec => ({
      ...model,
      displayName: displayName ?? model.id,
      numKvHeads: numKvHeads ?? model.numHeads,
      headDim: headDim ?? (mla ? mla.qkNopeHeadDim + mla.qkRopeHeadDim : model.hiddenSize / model.numHeads),
      ...(moe ? { moe } : {}),
      ...(mla ? { mla } : {}),
    }),
  );

/** Validates an untrusted model description; every problem is reported at once with its field path. */
export function parseModelSpec(json: unknown): Result<ModelSpec> {
  return parseWith(modelSpecSchema, json, 'model');
}
