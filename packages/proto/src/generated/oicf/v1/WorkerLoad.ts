// Original file: oicf/v1/worker.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Load of a worker at one instant, with its measured speeds (moving averages over recent steps).
 */
export interface WorkerLoad {
  /**
   * sequences in the running batch
   */
  'numRunningSequences'?: (number);
  /**
   * admitted but queued
   */
  'numWaitingSequences'?: (number);
  'kvUsedBytes'?: (number | string | Long);
  'kvCapacityBytes'?: (number | string | Long);
  /**
   * measured prefill time per computed prompt token (fitted slope)
   */
  'prefillSecondsPerToken'?: (number | string);
  /**
   * measured time of one decode step at the current batch
   */
  'decodeStepSeconds'?: (number | string);
  /**
   * measured operational intensity of recent prefill steps
   */
  'prefillIntensityFlopsPerByte'?: (number | string);
  /**
   * measured operational intensity of recent decode steps
   */
  'decodeIntensityFlopsPerByte'?: (number | string);
  /**
   * fitted fixed time of a prefill: seconds ≈ fixed + per_token · tokens
   */
  'prefillFixedSeconds'?: (number | string);
}

/**
 * Load of a worker at one instant, with its measured speeds (moving averages over recent steps).
 */
export interface WorkerLoad__Output {
  /**
   * sequences in the running batch
   */
  'numRunningSequences': (number);
  /**
   * admitted but queued
   */
  'numWaitingSequences': (number);
  'kvUsedBytes': (number);
  'kvCapacityBytes': (number);
  /**
   * measured prefill time per computed prompt token (fitted slope)
   */
  'prefillSecondsPerToken': (number);
  /**
   * measured time of one decode step at the current batch
   */
  'decodeStepSeconds': (number);
  /**
   * measured operational intensity of recent prefill steps
   */
  'prefillIntensityFlopsPerByte': (number);
  /**
   * measured operational intensity of recent decode steps
   */
  'decodeIntensityFlopsPerByte': (number);
  /**
   * fitted fixed time of a prefill: seconds ≈ fixed + per_token · tokens
   */
  'prefillFixedSeconds': (number);
}
