// Original file: oicf/v1/worker.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { HeartbeatRequest as _oicf_v1_HeartbeatRequest, HeartbeatRequest__Output as _oicf_v1_HeartbeatRequest__Output } from '../../oicf/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _oicf_v1_HeartbeatResponse, HeartbeatResponse__Output as _oicf_v1_HeartbeatResponse__Output } from '../../oicf/v1/HeartbeatResponse.js';
import type { RegisterRequest as _oicf_v1_RegisterRequest, RegisterRequest__Output as _oicf_v1_RegisterRequest__Output } from '../../oicf/v1/RegisterRequest.js';
import type { RegisterResponse as _oicf_v1_RegisterResponse, RegisterResponse__Output as _oicf_v1_RegisterResponse__Output } from '../../oicf/v1/RegisterResponse.js';

export interface RegistryClient extends grpc.Client {
  /**
   * Report load; the answer may carry directives. An unknown worker_id gets a REREGISTER directive.
   */
  Heartbeat(argument: _oicf_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _oicf_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _oicf_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _oicf_v1_HeartbeatRequest, callback: grpc.requestCallback<_oicf_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Report load; the answer may carry directives. An unknown worker_id gets a REREGISTER directive.
   */
  heartbeat(argument: _oicf_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _oicf_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _oicf_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _oicf_v1_HeartbeatRequest, callback: grpc.requestCallback<_oicf_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Announce a worker (again after a restart or a REREGISTER directive). Idempotent per worker_id.
   */
  Register(argument: _oicf_v1_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _oicf_v1_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _oicf_v1_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _oicf_v1_RegisterRequest, callback: grpc.requestCallback<_oicf_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Announce a worker (again after a restart or a REREGISTER directive). Idempotent per worker_id.
   */
  register(argument: _oicf_v1_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _oicf_v1_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _oicf_v1_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _oicf_v1_RegisterRequest, callback: grpc.requestCallback<_oicf_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface RegistryHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Report load; the answer may carry directives. An unknown worker_id gets a REREGISTER directive.
   */
  Heartbeat: grpc.handleUnaryCall<_oicf_v1_HeartbeatRequest__Output, _oicf_v1_HeartbeatResponse>;
  
  /**
   * Announce a worker (again after a restart or a REREGISTER directive). Idempotent per worker_id.
   */
  Register: grpc.handleUnaryCall<_oicf_v1_RegisterRequest__Output, _oicf_v1_RegisterResponse>;
  
}

export interface RegistryDefinition extends grpc.ServiceDefinition {
  Heartbeat: MethodDefinition<_oicf_v1_HeartbeatRequest, _oicf_v1_HeartbeatResponse, _oicf_v1_HeartbeatRequest__Output, _oicf_v1_HeartbeatResponse__Output>
  Register: MethodDefinition<_oicf_v1_RegisterRequest, _oicf_v1_RegisterResponse, _oicf_v1_RegisterRequest__Output, _oicf_v1_RegisterResponse__Output>
}
