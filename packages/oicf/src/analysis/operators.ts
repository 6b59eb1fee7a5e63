import { parameterCount } from '../models/parameters.js';
import type { ConventionOptions, ModelSpec, OperatorRow, PrecisionConfig } from '../types.js';
import { operatorContext, operatorRow } from './operator-row.js';
import { attentionRows } from './operators-attention.js';
import { ffnRows } from './operators-ffn.js';
import type { StepShape } from './step-shape.js';

/** Every operator of one step, whole model (unsharded), whole batch, summed over layers, in
 * execution order. Rows that count nothing under the convention are left out. */
export function operatorRows(
  model: ModelSpec,
  precision: PrecisionConfig,
  options: ConventionOptions,
  shape: StepShape,
): OperatorRow[] {
  const ctx = operatorContext(model, precision, options, shape);
  const n = shape.numNewTokens;
  const h = model.hiddenSize;
  const layers = model.numLayers;
  const mlaNormWidth = model.mla ? model.mla.qLoraRank + model.mla.kvLoraRank : 0;
  // Two norms per layer (+ MLA's q_a/kv_a norms) and the final norm.
  const normElements = layers * n * (2 * h + mlaNormWidth) + n * h;
  const residualElements = layers * 2 * n * h;
  const lmTokens = shape.numLmHeadTokens;
  const elementwise = options.countElementwiseFlops;

  const rows: OperatorRow[] = [];
  if (options.countEmbeddingGather) {
    rows.push(
      operatorRow(ctx, 'embedding', 1, {
        flops: 0,
        // One row of the table per distinct token; a step cannot touch more rows than the vocab.
        weightElements: Math.min(n, model.vocabSize) * h,
        activationElements: n * h,
      }),
    );
  }
  rows.push(
    ...attentionRows(ctx),
    operatorRow(
      ctx,
      'norm',
      layers,
      {
        flops: elementwise ? options.normFlopsPerElement * normElements : 0,
        weightElements: parameterCount(model).numNorm,
        unfusedActivationElements: 2 * normElements,
      },
      1,
    ),
    operatorRow(
      ctx,
      'residual',
      layers,
      {
        flops: elementwise ? options.residualFlopsPerElement * residualElements : 0,
        unfusedActivationElements: 2 * residualElements,
      },
      1,
    ),
    ...ffnRows(ctx),
    operatorRow(ctx, 'lm_head', 1, {
      flops: options.lmHeadFlopsPerMac * lmTokens * h * model.vocabSize,
      weightElements: lmTokens > 0 ? h * model.vocabSize : 0,
      activationElements: lmTokens * (h + model.vocabSize),
    }),
  );
  return rows.filter((row) => row.flops > 0 || row.bytes.totalBytes > 0);
}
