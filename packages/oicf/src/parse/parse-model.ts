import type { MlaSpec, ModelSpec, MoeSpec, Result } from '../types.js';
import { FieldChecker } from './field-checker.js';

const MODEL_KEYS = [
  'id',
  'displayName',
  'source',
  'numLayers',
  'hiddenSize',
  'numHeads',
  'numKvHeads',
  'headDim',
  'vocabSize',
  'tiedEmbeddings',
  'ffn',
  'moe',
  'mla',
  'maxContextTokens',
];
const FFN_KEYS = ['intermediateSize', 'gated'];
const MOE_KEYS = [
  'numExperts',
  'topK',
  'expertIntermediateSize',
  'numSharedExperts',
  'sharedExpertIntermediateSize',
  'numDenseLayers',
];
const MLA_KEYS = ['kvLoraRank', 'qLoraRank', 'qkNopeHeadDim', 'qkRopeHeadDim', 'vHeadDim'];

const positive = { integer: true, min: 1 } as const;
const natural = { integer: true, min: 0 } as const;

/** Validates an untrusted model description (e.g. a user's JSON file). Every problem is reported
 * at once with its field path. Defaults: displayName = id, source = 'user JSON', tiedEmbeddings
 * false, headDim = hiddenSize / numHeads (MLA: qkNopeHeadDim + qkRopeHeadDim), numKvHeads =
 * numHeads, moe.numSharedExperts 0, moe.numDenseLayers 0, mla.qLoraRank 0. */
export function parseModelSpec(json: unknown): Result<ModelSpec> {
  const check = new FieldChecker();
  const root = check.object(json, '');
  if (!root) return check.result('model', () => ({}) as ModelSpec);
  check.noUnknownKeys(root, MODEL_KEYS, '');
  const id = check.string(root, 'id', '');
  const displayName = check.string(root, 'displayName', '', id ?? 'model');
  const source = check.string(root, 'source', '', 'user JSON');
  const numLayers = check.number(root, 'numLayers', '', positive);
  const hiddenSize = check.number(root, 'hiddenSize', '', positive);
  const numHeads = check.number(root, 'numHeads', '', positive);
  const vocabSize = check.number(root, 'vocabSize', '', positive);
  const maxContextTokens = check.number(root, 'maxContextTokens', '', positive);
  const tiedEmbeddings = check.boolean(root, 'tiedEmbeddings', '', false);

  const mla = root.mla === undefined ? undefined : parseMla(check, root.mla);
  const numKvHeads = check.number(
    root,
    'numKvHeads',
    '',
    { ...positive, max: numHeads, maxLabel: 'numHeads' },
    numHeads,
  );
  if (!mla && numHeads !== undefined && numKvHeads !== undefined && numHeads % numKvHeads !== 0) {
    check.issue('numKvHeads', `must divide numHeads (${numHeads}), got ${numKvHeads}`);
  }
  const defaultHeadDim = mla
    ? mla.qkNopeHeadDim + mla.qkRopeHeadDim
    : hiddenSize !== undefined && numHeads !== undefined && hiddenSize % numHeads === 0
      ? hiddenSize / numHeads
      : undefined;
  const headDim = check.number(root, 'headDim', '', positive, defaultHeadDim);

  const ffnObject = check.object(root.ffn, 'ffn');
  let ffn: ModelSpec['ffn'] | undefined;
  if (ffnObject) {
    check.noUnknownKeys(ffnObject, FFN_KEYS, 'ffn');
    const intermediateSize = check.number(ffnObject, 'intermediateSize', 'ffn', positive);
    const gated = check.boolean(ffnObject, 'gated', 'ffn');
    if (intermediateSize !== undefined && gated !== undefined) ffn = { intermediateSize, gated };
  }
  const moe = root.moe === undefined ? undefined : parseMoe(check, root.moe, numLayers);

  return check.result('model', () => ({
    id: id as string,
    displayName: displayName as string,
    source: source as string,
    numLayers: numLayers as number,
    hiddenSize: hiddenSize as number,
    numHeads: numHeads as number,
    numKvHeads: numKvHeads as number,
    headDim: headDim as number,
    vocabSize: vocabSize as number,
    tiedEmbeddings: tiedEmbeddings as boolean,
    ffn: ffn as ModelSpec['ffn'],
    ...(moe ? { moe } : {}),
    ...(mla ? { mla } : {}),
    maxContextTokens: maxContextTokens as number,
  }));
}

function parseMoe(check: FieldChecker, value: unknown, numLayers: number | undefined): MoeSpec | undefined {
  const obj = check.object(value, 'moe');
  if (!obj) return undefined;
  check.noUnknownKeys(obj, MOE_KEYS, 'moe');
  const numExperts = check.number(obj, 'numExperts', 'moe', positive);
  const topK = check.number(obj, 'topK', 'moe', { ...positive, max: numExperts, maxLabel: 'numExperts' });
  const expertIntermediateSize = check.number(obj, 'expertIntermediateSize', 'moe', positive);
  const numSharedExperts = check.number(obj, 'numSharedExperts', 'moe', natural, 0);
  const sharedExpertIntermediateSize = check.number(
    obj,
    'sharedExpertIntermediateSize',
    'moe',
    numSharedExperts ? positive : natural,
    numSharedExperts ? undefined : 0,
  );
  const numDenseLayers = check.number(
    obj,
    'numDenseLayers',
    'moe',
    { ...natural, max: numLayers, maxLabel: 'numLayers' },
    0,
  );
  if (
    numExperts === undefined ||
    topK === undefined ||
    expertIntermediateSize === undefined ||
    numSharedExperts === undefined ||
    sharedExpertIntermediateSize === undefined ||
    numDenseLayers === undefined
  ) {
    return undefined;
  }
  return { numExperts, topK, expertIntermediateSize, numSharedExperts, sharedExpertIntermediateSize, numDenseLayers };
}

function parseMla(check: FieldChecker, value: unknown): MlaSpec | undefined {
  const obj = check.object(value, 'mla');
  if (!obj) return undefined;
  check.noUnknownKeys(obj, MLA_KEYS, 'mla');
  const kvLoraRank = check.number(obj, 'kvLoraRank', 'mla', positive);
  const qLoraRank = check.number(obj, 'qLoraRank', 'mla', natural, 0);
  const qkNopeHeadDim = check.number(obj, 'qkNopeHeadDim', 'mla', positive);
  const qkRopeHeadDim = check.number(obj, 'qkRopeHeadDim', 'mla', natural);
  const vHeadDim = check.number(obj, 'vHeadDim', 'mla', positive);
  if (
    kvLoraRank === undefined ||
    qLoraRank === undefined ||
    qkNopeHeadDim === undefined ||
    qkRopeHeadDim === undefined ||
    vHeadDim === undefined
  ) {
    return undefined;
  }
  return { kvLoraRank, qLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim };
}
