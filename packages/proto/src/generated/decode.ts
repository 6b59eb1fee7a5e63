import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BlockRef as _oicf_v1_BlockRef, BlockRef__Output as _oicf_v1_BlockRef__Output } from './oicf/v1/BlockRef.js';
import type { CancelRequest as _oicf_v1_CancelRequest, CancelRequest__Output as _oicf_v1_CancelRequest__Output } from './oicf/v1/CancelRequest.js';
import type { CancelResponse as _oicf_v1_CancelResponse, CancelResponse__Output as _oicf_v1_CancelResponse__Output } from './oicf/v1/CancelResponse.js';
import type { DecodeRequest as _oicf_v1_DecodeRequest, DecodeRequest__Output as _oicf_v1_DecodeRequest__Output } from './oicf/v1/DecodeRequest.js';
import type { DecodeTimings as _oicf_v1_DecodeTimings, DecodeTimings__Output as _oicf_v1_DecodeTimings__Output } from './oicf/v1/DecodeTimings.js';
import type { DecodeWorkerClient as _oicf_v1_DecodeWorkerClient, DecodeWorkerDefinition as _oicf_v1_DecodeWorkerDefinition } from './oicf/v1/DecodeWorker.js';
import type { ErrorDetail as _oicf_v1_ErrorDetail, ErrorDetail__Output as _oicf_v1_ErrorDetail__Output } from './oicf/v1/ErrorDetail.js';
import type { KvGetRelease as _oicf_v1_KvGetRelease, KvGetRelease__Output as _oicf_v1_KvGetRelease__Output } from './oicf/v1/KvGetRelease.js';
import type { KvHandoff as _oicf_v1_KvHandoff, KvHandoff__Output as _oicf_v1_KvHandoff__Output } from './oicf/v1/KvHandoff.js';
import type { KvHandoffAck as _oicf_v1_KvHandoffAck, KvHandoffAck__Output as _oicf_v1_KvHandoffAck__Output } from './oicf/v1/KvHandoffAck.js';
import type { KvHello as _oicf_v1_KvHello, KvHello__Output as _oicf_v1_KvHello__Output } from './oicf/v1/KvHello.js';
import type { KvHelloAck as _oicf_v1_KvHelloAck, KvHelloAck__Output as _oicf_v1_KvHelloAck__Output } from './oicf/v1/KvHelloAck.js';
import type { KvPutAlloc as _oicf_v1_KvPutAlloc, KvPutAlloc__Output as _oicf_v1_KvPutAlloc__Output } from './oicf/v1/KvPutAlloc.js';
import type { KvPutSlot as _oicf_v1_KvPutSlot, KvPutSlot__Output as _oicf_v1_KvPutSlot__Output } from './oicf/v1/KvPutSlot.js';
import type { KvPutUnslot as _oicf_v1_KvPutUnslot, KvPutUnslot__Output as _oicf_v1_KvPutUnslot__Output } from './oicf/v1/KvPutUnslot.js';
import type { KvSource as _oicf_v1_KvSource, KvSource__Output as _oicf_v1_KvSource__Output } from './oicf/v1/KvSource.js';
import type { SamplingParams as _oicf_v1_SamplingParams, SamplingParams__Output as _oicf_v1_SamplingParams__Output } from './oicf/v1/SamplingParams.js';
import type { ShmExtent as _oicf_v1_ShmExtent, ShmExtent__Output as _oicf_v1_ShmExtent__Output } from './oicf/v1/ShmExtent.js';
import type { ShmSegment as _oicf_v1_ShmSegment, ShmSegment__Output as _oicf_v1_ShmSegment__Output } from './oicf/v1/ShmSegment.js';
import type { TokenChunk as _oicf_v1_TokenChunk, TokenChunk__Output as _oicf_v1_TokenChunk__Output } from './oicf/v1/TokenChunk.js';
import type { TokenIds as _oicf_v1_TokenIds, TokenIds__Output as _oicf_v1_TokenIds__Output } from './oicf/v1/TokenIds.js';
import type { TokenLogprob as _oicf_v1_TokenLogprob, TokenLogprob__Output as _oicf_v1_TokenLogprob__Output } from './oicf/v1/TokenLogprob.js';
import type { TopLogprob as _oicf_v1_TopLogprob, TopLogprob__Output as _oicf_v1_TopLogprob__Output } from './oicf/v1/TopLogprob.js';
import type { Usage as _oicf_v1_Usage, Usage__Output as _oicf_v1_Usage__Output } from './oicf/v1/Usage.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  oicf: {
    v1: {
      BlockRef: MessageTypeDefinition<_oicf_v1_BlockRef, _oicf_v1_BlockRef__Output>
      CancelRequest: MessageTypeDefinition<_oicf_v1_CancelRequest, _oicf_v1_CancelRequest__Output>
      CancelResponse: MessageTypeDefinition<_oicf_v1_CancelResponse, _oicf_v1_CancelResponse__Output>
      DecodeRequest: MessageTypeDefinition<_oicf_v1_DecodeRequest, _oicf_v1_DecodeRequest__Output>
      DecodeTimings: MessageTypeDefinition<_oicf_v1_DecodeTimings, _oicf_v1_DecodeTimings__Output>
      DecodeWorker: SubtypeConstructor<typeof grpc.Client, _oicf_v1_DecodeWorkerClient> & { service: _oicf_v1_DecodeWorkerDefinition }
      ErrorDetail: MessageTypeDefinition<_oicf_v1_ErrorDetail, _oicf_v1_ErrorDetail__Output>
      FinishReason: EnumTypeDefinition
      KvGetRelease: MessageTypeDefinition<_oicf_v1_KvGetRelease, _oicf_v1_KvGetRelease__Output>
      KvHandoff: MessageTypeDefinition<_oicf_v1_KvHandoff, _oicf_v1_KvHandoff__Output>
      KvHandoffAck: MessageTypeDefinition<_oicf_v1_KvHandoffAck, _oicf_v1_KvHandoffAck__Output>
      KvHello: MessageTypeDefinition<_oicf_v1_KvHello, _oicf_v1_KvHello__Output>
      KvHelloAck: MessageTypeDefinition<_oicf_v1_KvHelloAck, _oicf_v1_KvHelloAck__Output>
      KvPutAlloc: MessageTypeDefinition<_oicf_v1_KvPutAlloc, _oicf_v1_KvPutAlloc__Output>
      KvPutSlot: MessageTypeDefinition<_oicf_v1_KvPutSlot, _oicf_v1_KvPutSlot__Output>
      KvPutUnslot: MessageTypeDefinition<_oicf_v1_KvPutUnslot, _oicf_v1_KvPutUnslot__Output>
      KvSource: MessageTypeDefinition<_oicf_v1_KvSource, _oicf_v1_KvSource__Output>
      SamplingParams: MessageTypeDefinition<_oicf_v1_SamplingParams, _oicf_v1_SamplingParams__Output>
      ServingStatus: EnumTypeDefinition
      ShmExtent: MessageTypeDefinition<_oicf_v1_ShmExtent, _oicf_v1_ShmExtent__Output>
      ShmSegment: MessageTypeDefinition<_oicf_v1_ShmSegment, _oicf_v1_ShmSegment__Output>
      Tier: EnumTypeDefinition
      TokenChunk: MessageTypeDefinition<_oicf_v1_TokenChunk, _oicf_v1_TokenChunk__Output>
      TokenIds: MessageTypeDefinition<_oicf_v1_TokenIds, _oicf_v1_TokenIds__Output>
      TokenLogprob: MessageTypeDefinition<_oicf_v1_TokenLogprob, _oicf_v1_TokenLogprob__Output>
      TopLogprob: MessageTypeDefinition<_oicf_v1_TopLogprob, _oicf_v1_TopLogprob__Output>
      Usage: MessageTypeDefinition<_oicf_v1_Usage, _oicf_v1_Usage__Output>
    }
  }
}

