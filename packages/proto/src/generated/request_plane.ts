import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BlockRef as _oicf_v1_BlockRef, BlockRef__Output as _oicf_v1_BlockRef__Output } from './oicf/v1/BlockRef.js';
import type { CancelRequest as _oicf_v1_CancelRequest, CancelRequest__Output as _oicf_v1_CancelRequest__Output } from './oicf/v1/CancelRequest.js';
import type { CancelResponse as _oicf_v1_CancelResponse, CancelResponse__Output as _oicf_v1_CancelResponse__Output } from './oicf/v1/CancelResponse.js';
import type { DecodeRequest as _oicf_v1_DecodeRequest, DecodeRequest__Output as _oicf_v1_DecodeRequest__Output } from './oicf/v1/DecodeRequest.js';
import type { DecodeStep as _oicf_v1_DecodeStep, DecodeStep__Output as _oicf_v1_DecodeStep__Output } from './oicf/v1/DecodeStep.js';
import type { DecodeTimings as _oicf_v1_DecodeTimings, DecodeTimings__Output as _oicf_v1_DecodeTimings__Output } from './oicf/v1/DecodeTimings.js';
import type { DecodeWorkerClient as _oicf_v1_DecodeWorkerClient, DecodeWorkerDefinition as _oicf_v1_DecodeWorkerDefinition } from './oicf/v1/DecodeWorker.js';
import type { ErrorDetail as _oicf_v1_ErrorDetail, ErrorDetail__Output as _oicf_v1_ErrorDetail__Output } from './oicf/v1/ErrorDetail.js';
import type { KvHandoff as _oicf_v1_KvHandoff, KvHandoff__Output as _oicf_v1_KvHandoff__Output } from './oicf/v1/KvHandoff.js';
import type { KvHandoffAck as _oicf_v1_KvHandoffAck, KvHandoffAck__Output as _oicf_v1_KvHandoffAck__Output } from './oicf/v1/KvHandoffAck.js';
import type { KvSource as _oicf_v1_KvSource, KvSource__Output as _oicf_v1_KvSource__Output } from './oicf/v1/KvSource.js';
import type { PlaneCredit as _oicf_v1_PlaneCredit, PlaneCredit__Output as _oicf_v1_PlaneCredit__Output } from './oicf/v1/PlaneCredit.js';
import type { SamplingParams as _oicf_v1_SamplingParams, SamplingParams__Output as _oicf_v1_SamplingParams__Output } from './oicf/v1/SamplingParams.js';
import type { SequenceOutput as _oicf_v1_SequenceOutput, SequenceOutput__Output as _oicf_v1_SequenceOutput__Output } from './oicf/v1/SequenceOutput.js';
import type { TokenChunk as _oicf_v1_TokenChunk, TokenChunk__Output as _oicf_v1_TokenChunk__Output } from './oicf/v1/TokenChunk.js';
import type { TokenIds as _oicf_v1_TokenIds, TokenIds__Output as _oicf_v1_TokenIds__Output } from './oicf/v1/TokenIds.js';
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
      DecodeStep: MessageTypeDefinition<_oicf_v1_DecodeStep, _oicf_v1_DecodeStep__Output>
      DecodeTimings: MessageTypeDefinition<_oicf_v1_DecodeTimings, _oicf_v1_DecodeTimings__Output>
      DecodeWorker: SubtypeConstructor<typeof grpc.Client, _oicf_v1_DecodeWorkerClient> & { service: _oicf_v1_DecodeWorkerDefinition }
      ErrorDetail: MessageTypeDefinition<_oicf_v1_ErrorDetail, _oicf_v1_ErrorDetail__Output>
      FinishReason: EnumTypeDefinition
      KvHandoff: MessageTypeDefinition<_oicf_v1_KvHandoff, _oicf_v1_KvHandoff__Output>
      KvHandoffAck: MessageTypeDefinition<_oicf_v1_KvHandoffAck, _oicf_v1_KvHandoffAck__Output>
      KvSource: MessageTypeDefinition<_oicf_v1_KvSource, _oicf_v1_KvSource__Output>
      PlaneCredit: MessageTypeDefinition<_oicf_v1_PlaneCredit, _oicf_v1_PlaneCredit__Output>
      SamplingParams: MessageTypeDefinition<_oicf_v1_SamplingParams, _oicf_v1_SamplingParams__Output>
      SequenceOutput: MessageTypeDefinition<_oicf_v1_SequenceOutput, _oicf_v1_SequenceOutput__Output>
      ServingStatus: EnumTypeDefinition
      Tier: EnumTypeDefinition
      TokenChunk: MessageTypeDefinition<_oicf_v1_TokenChunk, _oicf_v1_TokenChunk__Output>
      TokenIds: MessageTypeDefinition<_oicf_v1_TokenIds, _oicf_v1_TokenIds__Output>
      Usage: MessageTypeDefinition<_oicf_v1_Usage, _oicf_v1_Usage__Output>
    }
  }
}

