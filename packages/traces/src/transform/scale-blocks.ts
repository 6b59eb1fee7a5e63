import type { TraceRequest } from '../types.js';
import { scaleTokens, type TokenScale } from './scale-tokens.js';

/**
 * Token scaling that keeps every trace block (`oicf replay --token-scale-mode blocks`, the default):
 * each block of `blockTokens` tokens becomes a block of b' = max(1, round(blockTokens × input factor))
 * tokens under the same id, and the partial last block shrinks in proportion (≥ 1, ≤ b'). Outputs
 * scale by the output factor as in `scaleTokens` (rounded, ≥ 1, 0 stays 0).
 *
 *   factor 0.02, Mooncake (512-token blocks):  ids 0 1 2 … 23 (12,035 tokens)
 *                                          →  ids 0 1 2 … 23 of 10 tokens each, last 5 → 235 tokens
 *
 * So requests share exactly the leading blocks they shared in the trace, at any factor, and the
 * shared fraction of prompt tokens is kept (up to rounding of the last block). `scaleTokens`
 * (`--token-scale-mode remap`) instead keeps the trace's block size and renames blocks, which at
 * small factors merges many original blocks into one and loses most partial sharing (at × 0.02 a
 * whole 12k-token prompt is one block named after its last original block). Requests without block
 * ids fall back to `scaleTokens`.
 */
export function scaleBlocks(request: TraceRequest, scale: number | TokenScale): TraceRequest {
  const scaled = scaleTokens(request, scale);
  const ids = request.blockHashes;
  const blockTokens = request.blockTokens;
  if (ids === undefined || blockTokens === undefined || ids.length === 0) return scaled;
  const factor = typeof scale === 'number' ? scale : scale.input;
  const b = Math.max(1, Math.round(blockTokens * factor));
  const lastOriginal = request.inputTokens - (ids.length - 1) * blockTokens;
  const last = Math.max(1, Math.min(b, Math.round(lastOriginal * factor)));
  const inputTokens = (ids.length - 1) * b + last;
  const out: TraceRequest = { ...scaled, inputTokens, blockHashes: [...ids], blockTokens: b };
  return request.newTokens === undefined ? out : { ...out, newTokens: Math.min(inputTokens, scaled.newTokens ?? 0) };
}
