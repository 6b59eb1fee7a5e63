// Original file: oicf/v1/common.proto

/**
 * Health of a service as reported by Health RPCs and /readyz.
 */
export const ServingStatus = {
  SERVING_STATUS_UNSPECIFIED: 'SERVING_STATUS_UNSPECIFIED',
  /**
   * accepting new work
   */
  SERVING_STATUS_SERVING: 'SERVING_STATUS_SERVING',
  /**
   * starting up, or failed; do not send work
   */
  SERVING_STATUS_NOT_SERVING: 'SERVING_STATUS_NOT_SERVING',
  /**
   * finishing in-flight work before shutdown; do not send new work
   */
  SERVING_STATUS_DRAINING: 'SERVING_STATUS_DRAINING',
} as const;

/**
 * Health of a service as reported by Health RPCs and /readyz.
 */
export type ServingStatus =
  | 'SERVING_STATUS_UNSPECIFIED'
  | 0
  /**
   * accepting new work
   */
  | 'SERVING_STATUS_SERVING'
  | 1
  /**
   * starting up, or failed; do not send work
   */
  | 'SERVING_STATUS_NOT_SERVING'
  | 2
  /**
   * finishing in-flight work before shutdown; do not send new work
   */
  | 'SERVING_STATUS_DRAINING'
  | 3

/**
 * Health of a service as reported by Health RPCs and /readyz.
 */
export type ServingStatus__Output = typeof ServingStatus[keyof typeof ServingStatus]
