import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BlockRef as _oicf_v1_BlockRef, BlockRef__Output as _oicf_v1_BlockRef__Output } from './oicf/v1/BlockRef.js';
import type { ErrorDetail as _oicf_v1_ErrorDetail, ErrorDetail__Output as _oicf_v1_ErrorDetail__Output } from './oicf/v1/ErrorDetail.js';
import type { KvSource as _oicf_v1_KvSource, KvSource__Output as _oicf_v1_KvSource__Output } from './oicf/v1/KvSource.js';
import type { PrefillRequest as _oicf_v1_PrefillRequest, PrefillRequest__Output as _oicf_v1_PrefillRequest__Output } from './oicf/v1/PrefillRequest.js';
import type { PrefillResponse as _oicf_v1_PrefillResponse, PrefillResponse__Output as _oicf_v1_PrefillResponse__Output } from './oicf/v1/PrefillResponse.js';
import type { PrefillTimings as _oicf_v1_PrefillTimings, PrefillTimings__Output as _oicf_v1_PrefillTimings__Output } from './oicf/v1/PrefillTimings.js';
import type { PrefillWorkerClient as _oicf_v1_PrefillWorkerClient, PrefillWorkerDefinition as _oicf_v1_PrefillWorkerDefinition } from './oicf/v1/PrefillWorker.js';
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
      KvSource: MessageTypeDefinition<_oicf_v1_KvSource, _oicf_v1_KvSource__Output>
      PrefillRequest: MessageTypeDefinition<_oicf_v1_PrefillRequest, _oicf_v1_PrefillRequest__Output>
      PrefillResponse: MessageTypeDefinition<_oicf_v1_PrefillResponse, _oicf_v1_PrefillResponse__Output>
      PrefillTimings: MessageTypeDefinition<_oicf_v1_PrefillTimings, _oicf_v1_PrefillTimings__Output>
      PrefillWorker: SubtypeConstructor<typeof grpc.Client, _oicf_v1_PrefillWorkerClient> & { service: _oicf_v1_PrefillWorkerDefinition }
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

