// Original file: oicf/v1/worker.proto

export const WorkerRole = {
  WORKER_ROLE_UNSPECIFIED: 'WORKER_ROLE_UNSPECIFIED',
  /**
   * runs prefill only and hands KV off to decode workers
   */
  WORKER_ROLE_PREFILL: 'WORKER_ROLE_PREFILL',
  /**
   * runs decode only; receives KV from prefill workers or the pool
   */
  WORKER_ROLE_DECODE: 'WORKER_ROLE_DECODE',
  /**
   * runs both phases (aggregated serving)
   */
  WORKER_ROLE_BOTH: 'WORKER_ROLE_BOTH',
} as const;

export type WorkerRole =
  | 'WORKER_ROLE_UNSPECIFIED'
  | 0
  /**
   * runs prefill only and hands KV off to decode workers
   */
  | 'WORKER_ROLE_PREFILL'
  | 1
  /**
   * runs decode only; receives KV from prefill workers or the pool
   */
  | 'WORKER_ROLE_DECODE'
  | 2
  /**
   * runs both phases (aggregated serving)
   */
  | 'WORKER_ROLE_BOTH'
  | 3

export type WorkerRole__Output = typeof WorkerRole[keyof typeof WorkerRole]
