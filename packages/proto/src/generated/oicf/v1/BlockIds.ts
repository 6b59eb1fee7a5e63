// Original file: oicf/v1/kv_pool.proto


export interface BlockIds {
  'ids'?: (string)[];
}

export interface BlockIds__Output {
  'ids': (string)[];
}
