import { chainBlockIds } from '@oicf/kv';
import type { DecodeRequest__Output } from '@oicf/proto';
import { MAX_ID_LENGTH, OicfError } from '@oicf/transport';

/** Throws INVALID_ARGUMENT naming the first bad field of a DecodeRequest. */
export function validateDecodeRequest(
  req: DecodeRequest__Output,
  vocabSize: number,
  maxTokensPerSequence: number,
): void {
  const bad = (field: string, message: string): never => {
    throw new OicfError('INVALID_ARGUMENT', `${field}: ${message}`, { field });
  };
  const P = req.promptTokenIds.length;
  if (req.requestId.length === 0 || req.requestId.length > MAX_ID_LENGTH)
    bad('request_id', `must be 1–${MAX_ID_LENGTH} characters`);
  if (P === 0) bad('prompt_token_ids', 'the prompt is empty: send at least one token');
  const i = req.promptTokenIds.findIndex((t) => !(t >= 0 && t < vocabSize));
  if (i >= 0) bad(`prompt_token_ids[${i}]`, `${req.promptTokenIds[i]} is not a token id in [0, ${vocabSize})`);
  if (req.maxTokens < 1) bad('max_tokens', 'must be ≥ 1');
  if (P + req.maxTokens > maxTokensPerSequence) {
    bad(
      'max_tokens',
      `prompt (${P}) + max_tokens (${req.maxTokens}) exceed this worker's ${maxTokensPerSequence}-token sequence limit`,
    );
  }
  if (req.numHandoffTokens > P) bad('num_handoff_tokens', `${req.numHandoffTokens} exceeds the prompt's ${P} tokens`);
  if (req.numHandoffTokens > 0 && !(req.firstTokenId < vocabSize)) {
    bad('first_token_id', `${req.firstTokenId} is not a token id in [0, ${vocabSize})`);
  }
  const resumed = req.resumeTokenIds.length;
  if (resumed > 0) {
    if (resumed >= req.maxTokens)
      bad('resume_token_ids', `${resumed} tokens leave none of max_tokens ${req.maxTokens}`);
    if (req.numHandoffTokens > 0)
      bad('resume_token_ids', 'a migrated request prefills here: num_handoff_tokens must be 0');
    const j = req.resumeTokenIds.findIndex((t) => !(t >= 0 && t < vocabSize));
    if (j >= 0) bad(`resume_token_ids[${j}]`, `${req.resumeTokenIds[j]} is not a token id in [0, ${vocabSize})`);
  }
  const sampling = req.sampling;
  if (sampling !== null && sampling !== undefined) {
    if (!(sampling.temperature >= 0)) bad('sampling.temperature', 'must be ≥ 0');
    if (sampling.topK > vocabSize) bad('sampling.top_k', `must be ≤ the vocabulary size ${vocabSize}`);
    if (!(sampling.topP >= 0 && sampling.topP <= 1)) bad('sampling.top_p', 'must be in [0, 1]');
  }
}

/**
 * Throws FAILED_PRECONDITION when the request's prompt_blocks name other ids than this worker's hash
 * chain over the prompt: the router and the worker disagree on blockTokens (or the chain namespace),
 * and no cached block could ever match.
 */
export function checkPromptBlocks(req: DecodeRequest__Output, blockTokens: number): void {
  if (req.promptBlocks.length === 0) return;
  const chain = chainBlockIds(req.promptTokenIds, { blockTokens });
  req.promptBlocks.forEach((b, i) => {
    if (b.blockId !== chain[i] || b.numTokens !== blockTokens) {
      throw new OicfError(
        'FAILED_PRECONDITION',
        `prompt_blocks[${i}] (${b.blockId}, ${b.numTokens} tokens) is not block ${i} of this worker's chain with blockTokens ${blockTokens}: configure the router and workers with the same blockTokens`,
        { field: `prompt_blocks[${i}]` },
      );
    }
  });
}
