import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BlockRef as _oicf_v1_BlockRef, BlockRef__Output as _oicf_v1_BlockRef__Output } from './oicf/v1/BlockRef.js';
import type { ErrorDetail as _oicf_v1_ErrorDetail, ErrorDetail__Output as _oicf_v1_ErrorDetail__Output } from './oicf/v1/ErrorDetail.js';
import type { GenerateChunk as _oicf_v1_GenerateChunk, GenerateChunk__Output as _oicf_v1_GenerateChunk__Output } from './oicf/v1/GenerateChunk.js';
import type { GenerateRequest as _oicf_v1_GenerateRequest, GenerateRequest__Output as _oicf_v1_GenerateRequest__Output } from './oicf/v1/GenerateRequest.js';
import type { KvSource as _oicf_v1_KvSource, KvSource__Output as _oicf_v1_KvSource__Output } from './oicf/v1/KvSource.js';
import type { RouterClient as _oicf_v1_RouterClient, RouterDefinition as _oicf_v1_RouterDefinition } from './oicf/v1/Router.js';
import type { RoutingInfo as _oicf_v1_RoutingInfo, RoutingInfo__Output as _oicf_v1_RoutingInfo__Output } from './oicf/v1/RoutingInfo.js';
import type { SamplingParams as _oicf_v1_SamplingParams, SamplingParams__Output as _oicf_v1_SamplingParams__Output } from './oicf/v1/SamplingParams.js';
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
      ErrorDetail: MessageTypeDefinition<_oicf_v1_ErrorDetail, _oicf_v1_ErrorDetail__Output>
      FinishReason: EnumTypeDefinition
      GenerateChunk: MessageTypeDefinition<_oicf_v1_GenerateChunk, _oicf_v1_GenerateChunk__Output>
      GenerateRequest: MessageTypeDefinition<_oicf_v1_GenerateRequest, _oicf_v1_GenerateRequest__Output>
      KvSource: MessageTypeDefinition<_oicf_v1_KvSource, _oicf_v1_KvSource__Output>
      Router: SubtypeConstructor<typeof grpc.Client, _oicf_v1_RouterClient> & { service: _oicf_v1_RouterDefinition }
      RoutingInfo: MessageTypeDefinition<_oicf_v1_RoutingInfo, _oicf_v1_RoutingInfo__Output>
      SamplingParams: MessageTypeDefinition<_oicf_v1_SamplingParams, _oicf_v1_SamplingParams__Output>
      ServingStatus: EnumTypeDefinition
      Tier: EnumTypeDefinition
      TokenIds: MessageTypeDefinition<_oicf_v1_TokenIds, _oicf_v1_TokenIds__Output>
      TokenLogprob: MessageTypeDefinition<_oicf_v1_TokenLogprob, _oicf_v1_TokenLogprob__Output>
      TopLogprob: MessageTypeDefinition<_oicf_v1_TopLogprob, _oicf_v1_TopLogprob__Output>
      Usage: MessageTypeDefinition<_oicf_v1_Usage, _oicf_v1_Usage__Output>
    }
  }
}

