// Original file: oicf/v1/worker.proto

import type { WorkerRole as _oicf_v1_WorkerRole, WorkerRole__Output as _oicf_v1_WorkerRole__Output } from '../../oicf/v1/WorkerRole.js';
import type { WorkerCapacity as _oicf_v1_WorkerCapacity, WorkerCapacity__Output as _oicf_v1_WorkerCapacity__Output } from '../../oicf/v1/WorkerCapacity.js';

export interface RegisterRequest {
  /**
   * unique and stable across restarts, e.g. "decode-0"
   */
  'workerId'?: (string);
  'role'?: (_oicf_v1_WorkerRole);
  /**
   * "host:port" of its PrefillWorker/DecodeWorker service
   */
  'grpcAddress'?: (string);
  /**
   * "ws://host:port" of its KV data plane
   */
  'wsAddress'?: (string);
  /**
   * model it runs; the router only pairs workers with equal model_id
   */
  'modelId'?: (string);
  'capacity'?: (_oicf_v1_WorkerCapacity | null);
  /**
   * catalog device it runs or emulates ("this-machine" when not emulating)
   */
  'deviceId'?: (string);
  /**
   * catalog model whose step times it paces to ("" = none)
   */
  'emulatedModelId'?: (string);
  /**
   * "http://host:port" serving its /metrics, /healthz, /readyz ("" = none)
   */
  'httpAddress'?: (string);
}

export interface RegisterRequest__Output {
  /**
   * unique and stable across restarts, e.g. "decode-0"
   */
  'workerId': (string);
  'role': (_oicf_v1_WorkerRole__Output);
  /**
   * "host:port" of its PrefillWorker/DecodeWorker service
   */
  'grpcAddress': (string);
  /**
   * "ws://host:port" of its KV data plane
   */
  'wsAddress': (string);
  /**
   * model it runs; the router only pairs workers with equal model_id
   */
  'modelId': (string);
  'capacity': (_oicf_v1_WorkerCapacity__Output | null);
  /**
   * catalog device it runs or emulates ("this-machine" when not emulating)
   */
  'deviceId': (string);
  /**
   * catalog model whose step times it paces to ("" = none)
   */
  'emulatedModelId': (string);
  /**
   * "http://host:port" serving its /metrics, /healthz, /readyz ("" = none)
   */
  'httpAddress': (string);
}
