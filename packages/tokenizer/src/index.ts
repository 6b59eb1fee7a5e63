// @oicf/tokenizer: the byte-level tokenizer, for processes that tokenize but never run a model
// (the router). Re-exports only.

export {
  BOS_ID,
  BYTE_VOCAB_SIZE,
  decode,
  type EncodeOptions,
  EOS_ID,
  encode,
  isSpecialToken,
  PAD_ID,
  StreamDecoder,
} from './byte-tokenizer.js';
