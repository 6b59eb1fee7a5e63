// Original file: oicf/v1/decode.proto


export interface CancelRequest {
  'requestId'?: (string);
  'reason'?: (string);
}

export interface CancelRequest__Output {
  'requestId': (string);
  'reason': (string);
}
