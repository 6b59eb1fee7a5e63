import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Directive as _oicf_v1_Directive, Directive__Output as _oicf_v1_Directive__Output } from './oicf/v1/Directive.js';
import type { HeartbeatRequest as _oicf_v1_HeartbeatRequest, HeartbeatRequest__Output as _oicf_v1_HeartbeatRequest__Output } from './oicf/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _oicf_v1_HeartbeatResponse, HeartbeatResponse__Output as _oicf_v1_HeartbeatResponse__Output } from './oicf/v1/HeartbeatResponse.js';
import type { RegisterRequest as _oicf_v1_RegisterRequest, RegisterRequest__Output as _oicf_v1_RegisterRequest__Output } from './oicf/v1/RegisterRequest.js';
import type { RegisterResponse as _oicf_v1_RegisterResponse, RegisterResponse__Output as _oicf_v1_RegisterResponse__Output } from './oicf/v1/RegisterResponse.js';
import type { RegistryClient as _oicf_v1_RegistryClient, RegistryDefinition as _oicf_v1_RegistryDefinition } from './oicf/v1/Registry.js';
import type { WorkerCapacity as _oicf_v1_WorkerCapacity, WorkerCapacity__Output as _oicf_v1_WorkerCapacity__Output } from './oicf/v1/WorkerCapacity.js';
import type { WorkerLoad as _oicf_v1_WorkerLoad, WorkerLoad__Output as _oicf_v1_WorkerLoad__Output } from './oicf/v1/WorkerLoad.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  oicf: {
    v1: {
      Directive: MessageTypeDefinition<_oicf_v1_Directive, _oicf_v1_Directive__Output>
      DirectiveKind: EnumTypeDefinition
      HeartbeatRequest: MessageTypeDefinition<_oicf_v1_HeartbeatRequest, _oicf_v1_HeartbeatRequest__Output>
      HeartbeatResponse: MessageTypeDefinition<_oicf_v1_HeartbeatResponse, _oicf_v1_HeartbeatResponse__Output>
      RegisterRequest: MessageTypeDefinition<_oicf_v1_RegisterRequest, _oicf_v1_RegisterRequest__Output>
      RegisterResponse: MessageTypeDefinition<_oicf_v1_RegisterResponse, _oicf_v1_RegisterResponse__Output>
      Registry: SubtypeConstructor<typeof grpc.Client, _oicf_v1_RegistryClient> & { service: _oicf_v1_RegistryDefinition }
      WorkerCapacity: MessageTypeDefinition<_oicf_v1_WorkerCapacity, _oicf_v1_WorkerCapacity__Output>
      WorkerLoad: MessageTypeDefinition<_oicf_v1_WorkerLoad, _oicf_v1_WorkerLoad__Output>
      WorkerRole: EnumTypeDefinition
    }
  }
}

