// Original file: oicf/v1/prefill.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { PrefillRequest as _oicf_v1_PrefillRequest, PrefillRequest__Output as _oicf_v1_PrefillRequest__Output } from '../../oicf/v1/PrefillRequest.js';
import type { PrefillResponse as _oicf_v1_PrefillResponse, PrefillResponse__Output as _oicf_v1_PrefillResponse__Output } from '../../oicf/v1/PrefillResponse.js';

export interface PrefillWorkerClient extends grpc.Client {
  /**
   * Run prefill for one request and return its first token. KV moves over WebSocket, never in this reply.
   */
  Prefill(argument: _oicf_v1_PrefillRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_PrefillResponse__Output>): grpc.ClientUnaryCall;
  Prefill(argument: _oicf_v1_PrefillRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_PrefillResponse__Output>): grpc.ClientUnaryCall;
  Prefill(argument: _oicf_v1_PrefillRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_PrefillResponse__Output>): grpc.ClientUnaryCall;
  Prefill(argument: _oicf_v1_PrefillRequest, callback: grpc.requestCallback<_oicf_v1_PrefillResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Run prefill for one request and return its first token. KV moves over WebSocket, never in this reply.
   */
  prefill(argument: _oicf_v1_PrefillRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_PrefillResponse__Output>): grpc.ClientUnaryCall;
  prefill(argument: _oicf_v1_PrefillRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_PrefillResponse__Output>): grpc.ClientUnaryCall;
  prefill(argument: _oicf_v1_PrefillRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_PrefillResponse__Output>): grpc.ClientUnaryCall;
  prefill(argument: _oicf_v1_PrefillRequest, callback: grpc.requestCallback<_oicf_v1_PrefillResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface PrefillWorkerHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Run prefill for one request and return its first token. KV moves over WebSocket, never in this reply.
   */
  Prefill: grpc.handleUnaryCall<_oicf_v1_PrefillRequest__Output, _oicf_v1_PrefillResponse>;
  
}

export interface PrefillWorkerDefinition extends grpc.ServiceDefinition {
  Prefill: MethodDefinition<_oicf_v1_PrefillRequest, _oicf_v1_PrefillResponse, _oicf_v1_PrefillRequest__Output, _oicf_v1_PrefillResponse__Output>
}
