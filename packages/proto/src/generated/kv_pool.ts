import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BlockIds as _oicf_v1_BlockIds, BlockIds__Output as _oicf_v1_BlockIds__Output } from './oicf/v1/BlockIds.js';
import type { BlockRef as _oicf_v1_BlockRef, BlockRef__Output as _oicf_v1_BlockRef__Output } from './oicf/v1/BlockRef.js';
import type { ErrorDetail as _oicf_v1_ErrorDetail, ErrorDetail__Output as _oicf_v1_ErrorDetail__Output } from './oicf/v1/ErrorDetail.js';
import type { EvictRequest as _oicf_v1_EvictRequest, EvictRequest__Output as _oicf_v1_EvictRequest__Output } from './oicf/v1/EvictRequest.js';
import type { EvictResponse as _oicf_v1_EvictResponse, EvictResponse__Output as _oicf_v1_EvictResponse__Output } from './oicf/v1/EvictResponse.js';
import type { HealthRequest as _oicf_v1_HealthRequest, HealthRequest__Output as _oicf_v1_HealthRequest__Output } from './oicf/v1/HealthRequest.js';
import type { HealthResponse as _oicf_v1_HealthResponse, HealthResponse__Output as _oicf_v1_HealthResponse__Output } from './oicf/v1/HealthResponse.js';
import type { KvBlock as _oicf_v1_KvBlock, KvBlock__Output as _oicf_v1_KvBlock__Output } from './oicf/v1/KvBlock.js';
import type { KvError as _oicf_v1_KvError, KvError__Output as _oicf_v1_KvError__Output } from './oicf/v1/KvError.js';
import type { KvGetDone as _oicf_v1_KvGetDone, KvGetDone__Output as _oicf_v1_KvGetDone__Output } from './oicf/v1/KvGetDone.js';
import type { KvGetRelease as _oicf_v1_KvGetRelease, KvGetRelease__Output as _oicf_v1_KvGetRelease__Output } from './oicf/v1/KvGetRelease.js';
import type { KvGetRequest as _oicf_v1_KvGetRequest, KvGetRequest__Output as _oicf_v1_KvGetRequest__Output } from './oicf/v1/KvGetRequest.js';
import type { KvHello as _oicf_v1_KvHello, KvHello__Output as _oicf_v1_KvHello__Output } from './oicf/v1/KvHello.js';
import type { KvHelloAck as _oicf_v1_KvHelloAck, KvHelloAck__Output as _oicf_v1_KvHelloAck__Output } from './oicf/v1/KvHelloAck.js';
import type { KvPoolClient as _oicf_v1_KvPoolClient, KvPoolDefinition as _oicf_v1_KvPoolDefinition } from './oicf/v1/KvPool.js';
import type { KvPutAck as _oicf_v1_KvPutAck, KvPutAck__Output as _oicf_v1_KvPutAck__Output } from './oicf/v1/KvPutAck.js';
import type { KvPutAlloc as _oicf_v1_KvPutAlloc, KvPutAlloc__Output as _oicf_v1_KvPutAlloc__Output } from './oicf/v1/KvPutAlloc.js';
import type { KvPutRequest as _oicf_v1_KvPutRequest, KvPutRequest__Output as _oicf_v1_KvPutRequest__Output } from './oicf/v1/KvPutRequest.js';
import type { KvPutSlot as _oicf_v1_KvPutSlot, KvPutSlot__Output as _oicf_v1_KvPutSlot__Output } from './oicf/v1/KvPutSlot.js';
import type { KvPutUnslot as _oicf_v1_KvPutUnslot, KvPutUnslot__Output as _oicf_v1_KvPutUnslot__Output } from './oicf/v1/KvPutUnslot.js';
import type { KvSource as _oicf_v1_KvSource, KvSource__Output as _oicf_v1_KvSource__Output } from './oicf/v1/KvSource.js';
import type { LeaseRequest as _oicf_v1_LeaseRequest, LeaseRequest__Output as _oicf_v1_LeaseRequest__Output } from './oicf/v1/LeaseRequest.js';
import type { LeaseResponse as _oicf_v1_LeaseResponse, LeaseResponse__Output as _oicf_v1_LeaseResponse__Output } from './oicf/v1/LeaseResponse.js';
import type { LookupRequest as _oicf_v1_LookupRequest, LookupRequest__Output as _oicf_v1_LookupRequest__Output } from './oicf/v1/LookupRequest.js';
import type { LookupResponse as _oicf_v1_LookupResponse, LookupResponse__Output as _oicf_v1_LookupResponse__Output } from './oicf/v1/LookupResponse.js';
import type { ReleaseRequest as _oicf_v1_ReleaseRequest, ReleaseRequest__Output as _oicf_v1_ReleaseRequest__Output } from './oicf/v1/ReleaseRequest.js';
import type { ReleaseResponse as _oicf_v1_ReleaseResponse, ReleaseResponse__Output as _oicf_v1_ReleaseResponse__Output } from './oicf/v1/ReleaseResponse.js';
import type { SamplingParams as _oicf_v1_SamplingParams, SamplingParams__Output as _oicf_v1_SamplingParams__Output } from './oicf/v1/SamplingParams.js';
import type { ShmExtent as _oicf_v1_ShmExtent, ShmExtent__Output as _oicf_v1_ShmExtent__Output } from './oicf/v1/ShmExtent.js';
import type { ShmSegment as _oicf_v1_ShmSegment, ShmSegment__Output as _oicf_v1_ShmSegment__Output } from './oicf/v1/ShmSegment.js';
import type { StatsRequest as _oicf_v1_StatsRequest, StatsRequest__Output as _oicf_v1_StatsRequest__Output } from './oicf/v1/StatsRequest.js';
import type { StatsResponse as _oicf_v1_StatsResponse, StatsResponse__Output as _oicf_v1_StatsResponse__Output } from './oicf/v1/StatsResponse.js';
import type { TierStats as _oicf_v1_TierStats, TierStats__Output as _oicf_v1_TierStats__Output } from './oicf/v1/TierStats.js';
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
      BlockIds: MessageTypeDefinition<_oicf_v1_BlockIds, _oicf_v1_BlockIds__Output>
      BlockRef: MessageTypeDefinition<_oicf_v1_BlockRef, _oicf_v1_BlockRef__Output>
      ErrorDetail: MessageTypeDefinition<_oicf_v1_ErrorDetail, _oicf_v1_ErrorDetail__Output>
      EvictRequest: MessageTypeDefinition<_oicf_v1_EvictRequest, _oicf_v1_EvictRequest__Output>
      EvictResponse: MessageTypeDefinition<_oicf_v1_EvictResponse, _oicf_v1_EvictResponse__Output>
      FinishReason: EnumTypeDefinition
      HealthRequest: MessageTypeDefinition<_oicf_v1_HealthRequest, _oicf_v1_HealthRequest__Output>
      HealthResponse: MessageTypeDefinition<_oicf_v1_HealthResponse, _oicf_v1_HealthResponse__Output>
      KvBlock: MessageTypeDefinition<_oicf_v1_KvBlock, _oicf_v1_KvBlock__Output>
      KvError: MessageTypeDefinition<_oicf_v1_KvError, _oicf_v1_KvError__Output>
      KvGetDone: MessageTypeDefinition<_oicf_v1_KvGetDone, _oicf_v1_KvGetDone__Output>
      KvGetRelease: MessageTypeDefinition<_oicf_v1_KvGetRelease, _oicf_v1_KvGetRelease__Output>
      KvGetRequest: MessageTypeDefinition<_oicf_v1_KvGetRequest, _oicf_v1_KvGetRequest__Output>
      KvHello: MessageTypeDefinition<_oicf_v1_KvHello, _oicf_v1_KvHello__Output>
      KvHelloAck: MessageTypeDefinition<_oicf_v1_KvHelloAck, _oicf_v1_KvHelloAck__Output>
      KvPool: SubtypeConstructor<typeof grpc.Client, _oicf_v1_KvPoolClient> & { service: _oicf_v1_KvPoolDefinition }
      KvPutAck: MessageTypeDefinition<_oicf_v1_KvPutAck, _oicf_v1_KvPutAck__Output>
      KvPutAlloc: MessageTypeDefinition<_oicf_v1_KvPutAlloc, _oicf_v1_KvPutAlloc__Output>
      KvPutRequest: MessageTypeDefinition<_oicf_v1_KvPutRequest, _oicf_v1_KvPutRequest__Output>
      KvPutSlot: MessageTypeDefinition<_oicf_v1_KvPutSlot, _oicf_v1_KvPutSlot__Output>
      KvPutUnslot: MessageTypeDefinition<_oicf_v1_KvPutUnslot, _oicf_v1_KvPutUnslot__Output>
      KvSource: MessageTypeDefinition<_oicf_v1_KvSource, _oicf_v1_KvSource__Output>
      LeaseRequest: MessageTypeDefinition<_oicf_v1_LeaseRequest, _oicf_v1_LeaseRequest__Output>
      LeaseResponse: MessageTypeDefinition<_oicf_v1_LeaseResponse, _oicf_v1_LeaseResponse__Output>
      LookupRequest: MessageTypeDefinition<_oicf_v1_LookupRequest, _oicf_v1_LookupRequest__Output>
      LookupResponse: MessageTypeDefinition<_oicf_v1_LookupResponse, _oicf_v1_LookupResponse__Output>
      ReleaseRequest: MessageTypeDefinition<_oicf_v1_ReleaseRequest, _oicf_v1_ReleaseRequest__Output>
      ReleaseResponse: MessageTypeDefinition<_oicf_v1_ReleaseResponse, _oicf_v1_ReleaseResponse__Output>
      SamplingParams: MessageTypeDefinition<_oicf_v1_SamplingParams, _oicf_v1_SamplingParams__Output>
      ServingStatus: EnumTypeDefinition
      ShmExtent: MessageTypeDefinition<_oicf_v1_ShmExtent, _oicf_v1_ShmExtent__Output>
      ShmSegment: MessageTypeDefinition<_oicf_v1_ShmSegment, _oicf_v1_ShmSegment__Output>
      StatsRequest: MessageTypeDefinition<_oicf_v1_StatsRequest, _oicf_v1_StatsRequest__Output>
      StatsResponse: MessageTypeDefinition<_oicf_v1_StatsResponse, _oicf_v1_StatsResponse__Output>
      Tier: EnumTypeDefinition
      TierStats: MessageTypeDefinition<_oicf_v1_TierStats, _oicf_v1_TierStats__Output>
      TokenIds: MessageTypeDefinition<_oicf_v1_TokenIds, _oicf_v1_TokenIds__Output>
      TokenLogprob: MessageTypeDefinition<_oicf_v1_TokenLogprob, _oicf_v1_TokenLogprob__Output>
      TopLogprob: MessageTypeDefinition<_oicf_v1_TopLogprob, _oicf_v1_TopLogprob__Output>
      Usage: MessageTypeDefinition<_oicf_v1_Usage, _oicf_v1_Usage__Output>
    }
  }
}

