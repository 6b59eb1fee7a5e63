import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { KvGetRelease as _oicf_v1_KvGetRelease, KvGetRelease__Output as _oicf_v1_KvGetRelease__Output } from './oicf/v1/KvGetRelease.js';
import type { KvHello as _oicf_v1_KvHello, KvHello__Output as _oicf_v1_KvHello__Output } from './oicf/v1/KvHello.js';
import type { KvHelloAck as _oicf_v1_KvHelloAck, KvHelloAck__Output as _oicf_v1_KvHelloAck__Output } from './oicf/v1/KvHelloAck.js';
import type { KvPutAlloc as _oicf_v1_KvPutAlloc, KvPutAlloc__Output as _oicf_v1_KvPutAlloc__Output } from './oicf/v1/KvPutAlloc.js';
import type { KvPutSlot as _oicf_v1_KvPutSlot, KvPutSlot__Output as _oicf_v1_KvPutSlot__Output } from './oicf/v1/KvPutSlot.js';
import type { KvPutUnslot as _oicf_v1_KvPutUnslot, KvPutUnslot__Output as _oicf_v1_KvPutUnslot__Output } from './oicf/v1/KvPutUnslot.js';
import type { ShmExtent as _oicf_v1_ShmExtent, ShmExtent__Output as _oicf_v1_ShmExtent__Output } from './oicf/v1/ShmExtent.js';
import type { ShmSegment as _oicf_v1_ShmSegment, ShmSegment__Output as _oicf_v1_ShmSegment__Output } from './oicf/v1/ShmSegment.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  oicf: {
    v1: {
      KvGetRelease: MessageTypeDefinition<_oicf_v1_KvGetRelease, _oicf_v1_KvGetRelease__Output>
      KvHello: MessageTypeDefinition<_oicf_v1_KvHello, _oicf_v1_KvHello__Output>
      KvHelloAck: MessageTypeDefinition<_oicf_v1_KvHelloAck, _oicf_v1_KvHelloAck__Output>
      KvPutAlloc: MessageTypeDefinition<_oicf_v1_KvPutAlloc, _oicf_v1_KvPutAlloc__Output>
      KvPutSlot: MessageTypeDefinition<_oicf_v1_KvPutSlot, _oicf_v1_KvPutSlot__Output>
      KvPutUnslot: MessageTypeDefinition<_oicf_v1_KvPutUnslot, _oicf_v1_KvPutUnslot__Output>
      ShmExtent: MessageTypeDefinition<_oicf_v1_ShmExtent, _oicf_v1_ShmExtent__Output>
      ShmSegment: MessageTypeDefinition<_oicf_v1_ShmSegment, _oicf_v1_ShmSegment__Output>
    }
  }
}

