// Original file: oicf/v1/kv_pool.proto


export interface HealthRequest {
}

export interface HealthRequest__Output {
}
