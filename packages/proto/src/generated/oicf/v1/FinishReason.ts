// Original file: oicf/v1/common.proto

/**
 * Why a generation stopped. UNSPECIFIED on every chunk but the last of a stream.
 */
export const FinishReason = {
  FINISH_REASON_UNSPECIFIED: 'FINISH_REASON_UNSPECIFIED',
  /**
   * a stop token was produced
   */
  FINISH_REASON_STOP: 'FINISH_REASON_STOP',
  /**
   * max_tokens reached
   */
  FINISH_REASON_LENGTH: 'FINISH_REASON_LENGTH',
  /**
   * the client or router cancelled the request
   */
  FINISH_REASON_CANCELLED: 'FINISH_REASON_CANCELLED',
  /**
   * the worker failed; the stream's last chunk carries `error`
   */
  FINISH_REASON_ERROR: 'FINISH_REASON_ERROR',
} as const;

/**
 * Why a generation stopped. UNSPECIFIED on every chunk but the last of a stream.
 */
export type FinishReason =
  | 'FINISH_REASON_UNSPECIFIED'
  | 0
  /**
   * a stop token was produced
   */
  | 'FINISH_REASON_STOP'
  | 1
  /**
   * max_tokens reached
   */
  | 'FINISH_REASON_LENGTH'
  | 2
  /**
   * the client or router cancelled the request
   */
  | 'FINISH_REASON_CANCELLED'
  | 3
  /**
   * the worker failed; the stream's last chunk carries `error`
   */
  | 'FINISH_REASON_ERROR'
  | 4

/**
 * Why a generation stopped. UNSPECIFIED on every chunk but the last of a stream.
 */
export type FinishReason__Output = typeof FinishReason[keyof typeof FinishReason]
