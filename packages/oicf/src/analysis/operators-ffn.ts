import { layerCounts } from '../models/parameters.js';
import type { OperatorRow } from '../types.js';
import { expertsReadPerLayer } from './moe.js';
import { type OperatorContext, operatorRow } from './operator-row.js';

// FFN operators of one step: dense FFN layers, MoE router, routed and shared experts, and the FFN
// activation. m = 3 matrices when gated (gate, up, down), else 2. FFN FLOPs: 2·tokens·h·I·m.

function matrices(gated: boolean): number {
  return gated ? 3 : 2;
}

/** Activation elements of one FFN pass over `tokens` tokens of width `intermediate`.
 * Fused: gate+up as one GEMM (activation in its epilogue) reads h, writes I; down reads I, writes h.
 * Unfused and gated: gate and up each read h and write I, down reads I and writes h (one more h+I). */
function ffnActivation(tokens: number, hidden: number, intermediate: number, gated: boolean) {
  return {
    activationElements: 2 * tokens * (hidden + intermediate),
    unfusedActivationElements: gated ? tokens * (hidden + intermediate) : 0,
  };
}

export function ffnRows(ctx: OperatorContext): OperatorRow[] {
  const { model, shape, options } = ctx;
  const n = shape.numNewTokens;
  const h = model.hiddenSize;
  const gated = model.ffn.gated;
  const m = matrices(gated);
  const { numDenseLayers, numMoeLayers } = layerCounts(model);
  const rows: OperatorRow[] = [];
  // Activation-function elements over all layers; LLM-Viewer counts them over hidden, not I.
  let activationElements = 0;
  const width = (intermediate: number) => (options.activationElements === 'hidden' ? h : intermediate);

  if (numDenseLayers > 0) {
    const inter = model.ffn.intermediateSize;
    rows.push(
      operatorRow(ctx, 'ffn', numDenseLayers, {
        flops: 2 * n * h * inter * m,
        weightElements: h * inter * m,
        ...ffnActivation(n, h, inter, gated),
      }),
    );
    activationElements += numDenseLayers * n * width(inter);
  }

  const moe = model.moe;
  if (moe && numMoeLayers > 0) {
    const inter = moe.expertIntermediateSize;
    const routed = n * moe.topK;
    rows.push(
      operatorRow(ctx, 'moe_router', numMoeLayers, {
        flops: 2 * n * h * moe.numExperts,
        weightElements: h * moe.numExperts,
        activationElements: n * h + n * moe.numExperts,
      }),
      operatorRow(ctx, 'experts', numMoeLayers, {
        flops: 2 * routed * h * inter * m,
        weightElements: expertsReadPerLayer(moe, n, options.moeWeights) * h * inter * m,
        ...ffnActivation(routed, h, inter, gated),
      }),
    );
    activationElements += numMoeLayers * routed * width(inter);
    if (moe.numSharedExperts > 0) {
      const shared = moe.sharedExpertIntermediateSize;
      const passes = n * moe.numSharedExperts;
      rows.push(
        operatorRow(ctx, 'shared_experts', numMoeLayers, {
          flops: 2 * passes * h * shared * m,
          weightElements: moe.numSharedExperts * h * shared * m,
          ...ffnActivation(passes, h, shared, gated),
        }),
      );
      activationElements += numMoeLayers * passes * width(shared);
    }
  }

  // The activation function (SiLU·up when gated): fused into a GEMM epilogue unless unfused, where
  // it reads gate and up (2 elements) and writes one; ungated it reads one and writes one.
  rows.push(
    operatorRow(
      ctx,
      'activation',
      numDenseLayers + numMoeLayers,
      {
        flops: options.countElementwiseFlops ? options.activationFlopsPerElement * activationElements : 0,
        unfusedActivationElements: (gated ? 3 : 2) * activationElements,
      },
      1,
    ),
  );
  return rows;
}
