// Original file: oicf/v1/kv_pool.proto


export interface ReleaseRequest {
  'leaseId'?: (string);
}

export interface ReleaseRequest__Output {
  'leaseId': (string);
}
