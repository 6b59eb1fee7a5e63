// The twin's version of the calls between the router and the workers (PrefillWorker.Prefill,
// DecodeWorker.Decode and its TokenChunk stream), as plain values with the same fields the services use.
import type { PoolBlock, PrefillReport } from '@oicf/sched';
import type { SimPrompt } from '../prompts/prompt-blocks.js';

/** Pool blocks a worker may fetch, under a lease (KvSource). */
export interface LeasedBlocks {
  readonly leaseId: string;
  readonly blocks: readonly PoolBlock[];
}

export interface PrefillCall {
  readonly requestId: string;
  readonly prompt: SimPrompt;
  readonly cachedPrefix: LeasedBlocks | undefined;
  /** The decode worker to hand the KV to. */
  readonly decodeWorkerId: string;
  /** Leading tokens the decode worker holds: the handoff starts there. */
  readonly numDecodeCachedTokens: number;
  readonly sessionId: string;
  readonly sessionTtlSeconds: number;
}

export interface PrefillReply {
  readonly firstTokenId: number;
  readonly report: PrefillReport;
}

export interface DecodeCall {
  readonly requestId: string;
  readonly prompt: SimPrompt;
  /** Local prefill: pool blocks beyond the worker's own prefix. */
  readonly kvSources: LeasedBlocks | undefined;
  /** Remote prefill: prompt tokens [P − H, P) arrive as a handoff. */
  readonly numHandoffTokens: number;
  /** Remote prefill: the first token the prefill worker sampled. */
  readonly firstTokenId: number | undefined;
  readonly maxTokens: number;
  readonly sessionId: string;
  readonly sessionTtlSeconds: number;
  /**
   * Local prefill that waits for an in-flight prefix (num_await_prefix_tokens, await_prefix_request_id,
   * kv_wait_seconds): the worker waits until its cache holds the first `numTokens` prompt tokens.
   */
  readonly awaitPrefix?: { readonly requestId: string; readonly numTokens: number; readonly waitSeconds: number };
}

/** The decode worker's final TokenChunk: usage and timings. */
export interface DecodeFinal {
  readonly finishReason: 'stop' | 'length';
  readonly numCompletionTokens: number;
  readonly numCachedPromptTokens: number;
  readonly queueSeconds: number;
  readonly kvReceiveSeconds: number;
  readonly decodeSeconds: number;
  /** Since the Decode call arrived. */
  readonly emittedAfterSeconds: number;
  /** Every token generated for the request, the first included (the router passes them to Admission.finished). */
  readonly generatedTokenIds: readonly number[];
}

/** Where a Decode call's stream goes; every call happens at the virtual time the chunk leaves the worker. */
export interface DecodeSink {
  /** A TokenChunk with `numTokens` tokens (≥ 1); `emittedAfterSeconds` since the call arrived. */
  onChunk(numTokens: number, emittedAfterSeconds: number): void;
  onFinal(final: DecodeFinal): void;
  /** The call failed (the request cannot join the batch). */
  onError(code: string, message: string): void;
}
