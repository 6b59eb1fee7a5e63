// Original file: oicf/v1/worker.proto

import type { WorkerLoad as _oicf_v1_WorkerLoad, WorkerLoad__Output as _oicf_v1_WorkerLoad__Output } from '../../oicf/v1/WorkerLoad.js';
import type { Long } from '@grpc/proto-loader';

export interface HeartbeatRequest {
  'workerId'?: (string);
  'load'?: (_oicf_v1_WorkerLoad | null);
  'sentAtUnixMs'?: (number | string | Long);
  /**
   * The addresses the worker serves on now (as in its RegisterRequest). A heartbeat whose addresses differ
   * from the registered ones is not counted as the registered worker's: the router answers REREGISTER, so a
   * slot taken over by another address is repaired by the real worker instead of being kept "healthy".
   * "" = not sent (workers built before these fields): the heartbeat counts as before.
   */
  'grpcAddress'?: (string);
  'wsAddress'?: (string);
}

export interface HeartbeatRequest__Output {
  'workerId': (string);
  'load': (_oicf_v1_WorkerLoad__Output | null);
  'sentAtUnixMs': (number);
  /**
   * The addresses the worker serves on now (as in its RegisterRequest). A heartbeat whose addresses differ
   * from the registered ones is not counted as the registered worker's: the router answers REREGISTER, so a
   * slot taken over by another address is repaired by the real worker instead of being kept "healthy".
   * "" = not sent (workers built before these fields): the heartbeat counts as before.
   */
  'grpcAddress': (string);
  'wsAddress': (string);
}
