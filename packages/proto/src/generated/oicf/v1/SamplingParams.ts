// Original file: oicf/v1/common.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Sampling parameters of one request (OpenAI-like).
 */
export interface SamplingParams {
  /**
   * 0 = greedy (argmax)
   */
  'temperature'?: (number | string);
  /**
   * nucleus mass in (0, 1]; 0 is read as 1 (disabled)
   */
  'topP'?: (number | string);
  /**
   * 0 = disabled
   */
  'topK'?: (number);
  /**
   * PRNG seed for sampling; equal seeds give equal samples
   */
  'seed'?: (number | string | Long);
  /**
   * generation stops after emitting any of these
   */
  'stopTokenIds'?: (number)[];
  /**
   * report each sampled token's log-probability (TokenLogprob)
   */
  'logprobs'?: (boolean);
  /**
   * with logprobs: also the k most likely tokens of each position (0..20)
   */
  'numTopLogprobs'?: (number);
}

/**
 * Sampling parameters of one request (OpenAI-like).
 */
export interface SamplingParams__Output {
  /**
   * 0 = greedy (argmax)
   */
  'temperature': (number);
  /**
   * nucleus mass in (0, 1]; 0 is read as 1 (disabled)
   */
  'topP': (number);
  /**
   * 0 = disabled
   */
  'topK': (number);
  /**
   * PRNG seed for sampling; equal seeds give equal samples
   */
  'seed': (number);
  /**
   * generation stops after emitting any of these
   */
  'stopTokenIds': (number)[];
  /**
   * report each sampled token's log-probability (TokenLogprob)
   */
  'logprobs': (boolean);
  /**
   * with logprobs: also the k most likely tokens of each position (0..20)
   */
  'numTopLogprobs': (number);
}
