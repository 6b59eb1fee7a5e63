// Original file: oicf/v1/decode.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelRequest as _oicf_v1_CancelRequest, CancelRequest__Output as _oicf_v1_CancelRequest__Output } from '../../oicf/v1/CancelRequest.js';
import type { CancelResponse as _oicf_v1_CancelResponse, CancelResponse__Output as _oicf_v1_CancelResponse__Output } from '../../oicf/v1/CancelResponse.js';
import type { DecodeRequest as _oicf_v1_DecodeRequest, DecodeRequest__Output as _oicf_v1_DecodeRequest__Output } from '../../oicf/v1/DecodeRequest.js';
import type { TokenChunk as _oicf_v1_TokenChunk, TokenChunk__Output as _oicf_v1_TokenChunk__Output } from '../../oicf/v1/TokenChunk.js';

export interface DecodeWorkerClient extends grpc.Client {
  /**
   * Stop a running request. Unknown or finished requests are a value (cancelled = false).
   */
  Cancel(argument: _oicf_v1_CancelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _oicf_v1_CancelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _oicf_v1_CancelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _oicf_v1_CancelRequest, callback: grpc.requestCallback<_oicf_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stop a running request. Unknown or finished requests are a value (cancelled = false).
   */
  cancel(argument: _oicf_v1_CancelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  cancel(argument: _oicf_v1_CancelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  cancel(argument: _oicf_v1_CancelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  cancel(argument: _oicf_v1_CancelRequest, callback: grpc.requestCallback<_oicf_v1_CancelResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Decode one request; the stream ends with a chunk whose finish_reason is set.
   */
  Decode(argument: _oicf_v1_DecodeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_oicf_v1_TokenChunk__Output>;
  Decode(argument: _oicf_v1_DecodeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_oicf_v1_TokenChunk__Output>;
  /**
   * Decode one request; the stream ends with a chunk whose finish_reason is set.
   */
  decode(argument: _oicf_v1_DecodeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_oicf_v1_TokenChunk__Output>;
  decode(argument: _oicf_v1_DecodeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_oicf_v1_TokenChunk__Output>;
  
}

export interface DecodeWorkerHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Stop a running request. Unknown or finished requests are a value (cancelled = false).
   */
  Cancel: grpc.handleUnaryCall<_oicf_v1_CancelRequest__Output, _oicf_v1_CancelResponse>;
  
  /**
   * Decode one request; the stream ends with a chunk whose finish_reason is set.
   */
  Decode: grpc.handleServerStreamingCall<_oicf_v1_DecodeRequest__Output, _oicf_v1_TokenChunk>;
  
}

export interface DecodeWorkerDefinition extends grpc.ServiceDefinition {
  Cancel: MethodDefinition<_oicf_v1_CancelRequest, _oicf_v1_CancelResponse, _oicf_v1_CancelRequest__Output, _oicf_v1_CancelResponse__Output>
  Decode: MethodDefinition<_oicf_v1_DecodeRequest, _oicf_v1_TokenChunk, _oicf_v1_DecodeRequest__Output, _oicf_v1_TokenChunk__Output>
}
