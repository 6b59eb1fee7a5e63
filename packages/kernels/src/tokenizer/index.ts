// @oicf/kernels/tokenizer: the byte tokenizer and sampling alone (no onnxruntime import), for
// processes that tokenize but never run a model. Re-exports only.

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
export { argmax, type SampleOptions, SampleRng, sample } from './sample.js';
