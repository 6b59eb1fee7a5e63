// Original file: oicf/v1/prefill.proto

import type { KvSource as _oicf_v1_KvSource, KvSource__Output as _oicf_v1_KvSource__Output } from '../../oicf/v1/KvSource.js';
import type { SamplingParams as _oicf_v1_SamplingParams, SamplingParams__Output as _oicf_v1_SamplingParams__Output } from '../../oicf/v1/SamplingParams.js';

export interface PrefillRequest {
  'requestId'?: (string);
  /**
   * the whole prompt
   */
  'tokenIds'?: (number)[];
  /**
   * KV of a leading prefix the worker fetches instead of computing,
   */
  'cachedPrefix'?: (_oicf_v1_KvSource)[];
  /**
   * grouped by holder, covering prompt blocks 0..k-1 in chain order
   */
  'decodeWsAddress'?: (string);
  /**
   * as "kv.handoff" frames keyed by request_id ("" = keep it local)
   */
  'poolWsAddress'?: (string);
  /**
   * agent session ("" = none); pool puts carry it
   */
  'sessionId'?: (string);
  /**
   * retention TTL for the session's blocks in the pool
   */
  'sessionTtlSeconds'?: (number | string);
  /**
   * to sample the first token
   */
  'sampling'?: (_oicf_v1_SamplingParams | null);
  /**
   * leading prompt tokens whose KV the decode worker already holds
   */
  'numDecodeCachedTokens'?: (number);
}

export interface PrefillRequest__Output {
  'requestId': (string);
  /**
   * the whole prompt
   */
  'tokenIds': (number)[];
  /**
   * KV of a leading prefix the worker fetches instead of computing,
   */
  'cachedPrefix': (_oicf_v1_KvSource__Output)[];
  /**
   * grouped by holder, covering prompt blocks 0..k-1 in chain order
   */
  'decodeWsAddress': (string);
  /**
   * as "kv.handoff" frames keyed by request_id ("" = keep it local)
   */
  'poolWsAddress': (string);
  /**
   * agent session ("" = none); pool puts carry it
   */
  'sessionId': (string);
  /**
   * retention TTL for the session's blocks in the pool
   */
  'sessionTtlSeconds': (number);
  /**
   * to sample the first token
   */
  'sampling': (_oicf_v1_SamplingParams__Output | null);
  /**
   * leading prompt tokens whose KV the decode worker already holds
   */
  'numDecodeCachedTokens': (number);
}
