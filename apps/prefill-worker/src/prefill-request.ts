import { MAX_ID_LENGTH, OicfError } from '@oicf/transport';

/** Throws INVALID_ARGUMENT naming the first bad field of a PrefillRequest. */
export function validatePrefillRequest(
  req: {
    requestId: string;
    tokenIds: readonly number[];
    numDecodeCachedTokens: number;
    decodeWsAddress: string;
    poolWsAddress: string;
  },
  vocabSize: number,
  maxTokensPerSequence: number,
): void {
  const bad = (field: string, message: string): never => {
    throw new OicfError('INVALID_ARGUMENT', `${field}: ${message}`, { field });
  };
  if (req.requestId.length === 0 || req.requestId.length > MAX_ID_LENGTH) {
    bad('request_id', `must be 1–${MAX_ID_LENGTH} characters`);
  }
  if (req.tokenIds.length === 0) bad('token_ids', 'the prompt is empty: send at least one token');
  if (req.tokenIds.length > maxTokensPerSequence) {
    bad('token_ids', `${req.tokenIds.length} tokens exceed this worker's ${maxTokensPerSequence}-token limit`);
  }
  const i = req.tokenIds.findIndex((t) => !(t >= 0 && t < vocabSize));
  if (i >= 0) bad(`token_ids[${i}]`, `${req.tokenIds[i]} is not a token id in [0, ${vocabSize})`);
  if (req.numDecodeCachedTokens > req.tokenIds.length) {
    bad('num_decode_cached_tokens', `${req.numDecodeCachedTokens} exceeds the prompt's ${req.tokenIds.length} tokens`);
  }
  for (const [field, url] of [
    ['decode_ws_address', req.decodeWsAddress],
    ['pool_ws_address', req.poolWsAddress],
  ] as const) {
    if (url !== '' && !/^wss?:\/\//.test(url)) bad(field, `${JSON.stringify(url)} is not a ws:// URL`);
  }
}
