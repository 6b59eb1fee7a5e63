// Original file: oicf/v1/router.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GenerateChunk as _oicf_v1_GenerateChunk, GenerateChunk__Output as _oicf_v1_GenerateChunk__Output } from '../../oicf/v1/GenerateChunk.js';
import type { GenerateRequest as _oicf_v1_GenerateRequest, GenerateRequest__Output as _oicf_v1_GenerateRequest__Output } from '../../oicf/v1/GenerateRequest.js';

export interface RouterClient extends grpc.Client {
  /**
   * Generate a completion. With stream = false the reply is a single chunk holding every token.
   */
  Generate(argument: _oicf_v1_GenerateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_oicf_v1_GenerateChunk__Output>;
  Generate(argument: _oicf_v1_GenerateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_oicf_v1_GenerateChunk__Output>;
  /**
   * Generate a completion. With stream = false the reply is a single chunk holding every token.
   */
  generate(argument: _oicf_v1_GenerateRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_oicf_v1_GenerateChunk__Output>;
  generate(argument: _oicf_v1_GenerateRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_oicf_v1_GenerateChunk__Output>;
  
}

export interface RouterHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Generate a completion. With stream = false the reply is a single chunk holding every token.
   */
  Generate: grpc.handleServerStreamingCall<_oicf_v1_GenerateRequest__Output, _oicf_v1_GenerateChunk>;
  
}

export interface RouterDefinition extends grpc.ServiceDefinition {
  Generate: MethodDefinition<_oicf_v1_GenerateRequest, _oicf_v1_GenerateChunk, _oicf_v1_GenerateRequest__Output, _oicf_v1_GenerateChunk__Output>
}
