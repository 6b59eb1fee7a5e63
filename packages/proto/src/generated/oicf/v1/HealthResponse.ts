// Original file: oicf/v1/kv_pool.proto

import type { ServingStatus as _oicf_v1_ServingStatus, ServingStatus__Output as _oicf_v1_ServingStatus__Output } from '../../oicf/v1/ServingStatus.js';

export interface HealthResponse {
  'status'?: (_oicf_v1_ServingStatus);
  'uptimeSeconds'?: (number | string);
  'version'?: (string);
}

export interface HealthResponse__Output {
  'status': (_oicf_v1_ServingStatus__Output);
  'uptimeSeconds': (number);
  'version': (string);
}
