// Original file: oicf/v1/worker.proto

import type { WorkerLoad as _oicf_v1_WorkerLoad, WorkerLoad__Output as _oicf_v1_WorkerLoad__Output } from '../../oicf/v1/WorkerLoad.js';
import type { Long } from '@grpc/proto-loader';

export interface HeartbeatRequest {
  'workerId'?: (string);
  'load'?: (_oicf_v1_WorkerLoad | null);
  'sentAtUnixMs'?: (number | string | Long);
}

export interface HeartbeatRequest__Output {
  'workerId': (string);
  'load': (_oicf_v1_WorkerLoad__Output | null);
  'sentAtUnixMs': (number);
}
