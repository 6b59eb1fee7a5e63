/**
 * Closed list of error codes thrown by @oicf/kernels, a subset of the transport package's
 * ErrorCode list so a service can forward them unchanged.
 */
export type KernelErrorCode =
  | 'INVALID_ARGUMENT' // bad token ids, ranges, batch sizes, configs (the message names the field)
  | 'NOT_FOUND' // no sequence with that id
  | 'ALREADY_EXISTS' // importing into / creating a sequence id that is taken
  | 'RESOURCE_EXHAUSTED' // a sequence's reserved KV tokens or the RoPE table length would be exceeded
  | 'FAILED_PRECONDITION' // e.g. decoding a sequence with an empty cache, runner closed
  | 'INTERNAL'; // onnxruntime returned something the graph contract rules out

export class KernelError extends Error {
  override readonly name = 'KernelError';
  constructor(
    readonly code: KernelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
