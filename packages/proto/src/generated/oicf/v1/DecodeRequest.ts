// Original file: oicf/v1/decode.proto

import type { BlockRef as _oicf_v1_BlockRef, BlockRef__Output as _oicf_v1_BlockRef__Output } from '../../oicf/v1/BlockRef.js';
import type { KvSource as _oicf_v1_KvSource, KvSource__Output as _oicf_v1_KvSource__Output } from '../../oicf/v1/KvSource.js';
import type { SamplingParams as _oicf_v1_SamplingParams, SamplingParams__Output as _oicf_v1_SamplingParams__Output } from '../../oicf/v1/SamplingParams.js';

export interface DecodeRequest {
  'requestId'?: (string);
  /**
   * the whole prompt (lets the worker recompute KV it cannot fetch)
   */
  'promptTokenIds'?: (number)[];
  /**
   * the prompt's full blocks in chain order
   */
  'promptBlocks'?: (_oicf_v1_BlockRef)[];
  /**
   * holders to pull cached blocks from (pool, other workers)
   */
  'kvSources'?: (_oicf_v1_KvSource)[];
  /**
   * tokens whose KV a prefill worker pushes as kv.handoff frames
   */
  'numHandoffTokens'?: (number);
  /**
   * sampled by prefill; decoding continues after it
   */
  'firstTokenId'?: (number);
  /**
   * most tokens to generate, counting first_token_id
   */
  'maxTokens'?: (number);
  'sampling'?: (_oicf_v1_SamplingParams | null);
  /**
   * agent session ("" = none)
   */
  'sessionId'?: (string);
  /**
   * on finish, offer the KV to the pool pinned for this long
   */
  'sessionTtlSeconds'?: (number | string);
  /**
   * how long to wait for handoff frames before failing (0 = default)
   */
  'kvWaitSeconds'?: (number | string);
  /**
   * The router chose to wait for an in-flight prefill instead of recomputing a shared prefix: request
   * await_prefix_request_id is computing the first num_await_prefix_tokens prompt tokens' KV into this worker's
   * local block cache. Wait (up to kv_wait_seconds) until the cache holds them, then gather as usual; on time
   * out, or when that request ends here without them, compute them instead (0 = wait for nothing).
   */
  'numAwaitPrefixTokens'?: (number);
  'awaitPrefixRequestId'?: (string);
}

export interface DecodeRequest__Output {
  'requestId': (string);
  /**
   * the whole prompt (lets the worker recompute KV it cannot fetch)
   */
  'promptTokenIds': (number)[];
  /**
   * the prompt's full blocks in chain order
   */
  'promptBlocks': (_oicf_v1_BlockRef__Output)[];
  /**
   * holders to pull cached blocks from (pool, other workers)
   */
  'kvSources': (_oicf_v1_KvSource__Output)[];
  /**
   * tokens whose KV a prefill worker pushes as kv.handoff frames
   */
  'numHandoffTokens': (number);
  /**
   * sampled by prefill; decoding continues after it
   */
  'firstTokenId': (number);
  /**
   * most tokens to generate, counting first_token_id
   */
  'maxTokens': (number);
  'sampling': (_oicf_v1_SamplingParams__Output | null);
  /**
   * agent session ("" = none)
   */
  'sessionId': (string);
  /**
   * on finish, offer the KV to the pool pinned for this long
   */
  'sessionTtlSeconds': (number);
  /**
   * how long to wait for handoff frames before failing (0 = default)
   */
  'kvWaitSeconds': (number);
  /**
   * The router chose to wait for an in-flight prefill instead of recomputing a shared prefix: request
   * await_prefix_request_id is computing the first num_await_prefix_tokens prompt tokens' KV into this worker's
   * local block cache. Wait (up to kv_wait_seconds) until the cache holds them, then gather as usual; on time
   * out, or when that request ends here without them, compute them instead (0 = wait for nothing).
   */
  'numAwaitPrefixTokens': (number);
  'awaitPrefixRequestId': (string);
}
