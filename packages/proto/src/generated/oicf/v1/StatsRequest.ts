// Original file: oicf/v1/kv_pool.proto


export interface StatsRequest {
}

export interface StatsRequest__Output {
}
