// Original file: oicf/v1/decode.proto


export interface CancelResponse {
  /**
   * false when the request was unknown or had already finished
   */
  'cancelled'?: (boolean);
}

export interface CancelResponse__Output {
  /**
   * false when the request was unknown or had already finished
   */
  'cancelled': (boolean);
}
