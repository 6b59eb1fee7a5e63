// Original file: oicf/v1/kv_pool.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { EvictRequest as _oicf_v1_EvictRequest, EvictRequest__Output as _oicf_v1_EvictRequest__Output } from '../../oicf/v1/EvictRequest.js';
import type { EvictResponse as _oicf_v1_EvictResponse, EvictResponse__Output as _oicf_v1_EvictResponse__Output } from '../../oicf/v1/EvictResponse.js';
import type { HealthRequest as _oicf_v1_HealthRequest, HealthRequest__Output as _oicf_v1_HealthRequest__Output } from '../../oicf/v1/HealthRequest.js';
import type { HealthResponse as _oicf_v1_HealthResponse, HealthResponse__Output as _oicf_v1_HealthResponse__Output } from '../../oicf/v1/HealthResponse.js';
import type { LeaseRequest as _oicf_v1_LeaseRequest, LeaseRequest__Output as _oicf_v1_LeaseRequest__Output } from '../../oicf/v1/LeaseRequest.js';
import type { LeaseResponse as _oicf_v1_LeaseResponse, LeaseResponse__Output as _oicf_v1_LeaseResponse__Output } from '../../oicf/v1/LeaseResponse.js';
import type { LookupRequest as _oicf_v1_LookupRequest, LookupRequest__Output as _oicf_v1_LookupRequest__Output } from '../../oicf/v1/LookupRequest.js';
import type { LookupResponse as _oicf_v1_LookupResponse, LookupResponse__Output as _oicf_v1_LookupResponse__Output } from '../../oicf/v1/LookupResponse.js';
import type { ReleaseRequest as _oicf_v1_ReleaseRequest, ReleaseRequest__Output as _oicf_v1_ReleaseRequest__Output } from '../../oicf/v1/ReleaseRequest.js';
import type { ReleaseResponse as _oicf_v1_ReleaseResponse, ReleaseResponse__Output as _oicf_v1_ReleaseResponse__Output } from '../../oicf/v1/ReleaseResponse.js';
import type { StatsRequest as _oicf_v1_StatsRequest, StatsRequest__Output as _oicf_v1_StatsRequest__Output } from '../../oicf/v1/StatsRequest.js';
import type { StatsResponse as _oicf_v1_StatsResponse, StatsResponse__Output as _oicf_v1_StatsResponse__Output } from '../../oicf/v1/StatsResponse.js';

export interface KvPoolClient extends grpc.Client {
  /**
   * Evict given blocks, or free at least some bytes chosen by the eviction policy. Leased blocks are skipped.
   */
  Evict(argument: _oicf_v1_EvictRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_EvictResponse__Output>): grpc.ClientUnaryCall;
  Evict(argument: _oicf_v1_EvictRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_EvictResponse__Output>): grpc.ClientUnaryCall;
  Evict(argument: _oicf_v1_EvictRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_EvictResponse__Output>): grpc.ClientUnaryCall;
  Evict(argument: _oicf_v1_EvictRequest, callback: grpc.requestCallback<_oicf_v1_EvictResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Evict given blocks, or free at least some bytes chosen by the eviction policy. Leased blocks are skipped.
   */
  evict(argument: _oicf_v1_EvictRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_EvictResponse__Output>): grpc.ClientUnaryCall;
  evict(argument: _oicf_v1_EvictRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_EvictResponse__Output>): grpc.ClientUnaryCall;
  evict(argument: _oicf_v1_EvictRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_EvictResponse__Output>): grpc.ClientUnaryCall;
  evict(argument: _oicf_v1_EvictRequest, callback: grpc.requestCallback<_oicf_v1_EvictResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Liveness and readiness of the pool.
   */
  Health(argument: _oicf_v1_HealthRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_HealthResponse__Output>): grpc.ClientUnaryCall;
  Health(argument: _oicf_v1_HealthRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_HealthResponse__Output>): grpc.ClientUnaryCall;
  Health(argument: _oicf_v1_HealthRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_HealthResponse__Output>): grpc.ClientUnaryCall;
  Health(argument: _oicf_v1_HealthRequest, callback: grpc.requestCallback<_oicf_v1_HealthResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Liveness and readiness of the pool.
   */
  health(argument: _oicf_v1_HealthRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_HealthResponse__Output>): grpc.ClientUnaryCall;
  health(argument: _oicf_v1_HealthRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_HealthResponse__Output>): grpc.ClientUnaryCall;
  health(argument: _oicf_v1_HealthRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_HealthResponse__Output>): grpc.ClientUnaryCall;
  health(argument: _oicf_v1_HealthRequest, callback: grpc.requestCallback<_oicf_v1_HealthResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Pin blocks so they are not evicted until released or the TTL ends (used across a KV handoff).
   */
  Lease(argument: _oicf_v1_LeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_LeaseResponse__Output>): grpc.ClientUnaryCall;
  Lease(argument: _oicf_v1_LeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_LeaseResponse__Output>): grpc.ClientUnaryCall;
  Lease(argument: _oicf_v1_LeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_LeaseResponse__Output>): grpc.ClientUnaryCall;
  Lease(argument: _oicf_v1_LeaseRequest, callback: grpc.requestCallback<_oicf_v1_LeaseResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Pin blocks so they are not evicted until released or the TTL ends (used across a KV handoff).
   */
  lease(argument: _oicf_v1_LeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_LeaseResponse__Output>): grpc.ClientUnaryCall;
  lease(argument: _oicf_v1_LeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_LeaseResponse__Output>): grpc.ClientUnaryCall;
  lease(argument: _oicf_v1_LeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_LeaseResponse__Output>): grpc.ClientUnaryCall;
  lease(argument: _oicf_v1_LeaseRequest, callback: grpc.requestCallback<_oicf_v1_LeaseResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Longest cached prefix of a hash chain, and the tier of each cached block. A miss is a value (0 blocks).
   */
  Lookup(argument: _oicf_v1_LookupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_LookupResponse__Output>): grpc.ClientUnaryCall;
  Lookup(argument: _oicf_v1_LookupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_LookupResponse__Output>): grpc.ClientUnaryCall;
  Lookup(argument: _oicf_v1_LookupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_LookupResponse__Output>): grpc.ClientUnaryCall;
  Lookup(argument: _oicf_v1_LookupRequest, callback: grpc.requestCallback<_oicf_v1_LookupResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Longest cached prefix of a hash chain, and the tier of each cached block. A miss is a value (0 blocks).
   */
  lookup(argument: _oicf_v1_LookupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_LookupResponse__Output>): grpc.ClientUnaryCall;
  lookup(argument: _oicf_v1_LookupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_LookupResponse__Output>): grpc.ClientUnaryCall;
  lookup(argument: _oicf_v1_LookupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_LookupResponse__Output>): grpc.ClientUnaryCall;
  lookup(argument: _oicf_v1_LookupRequest, callback: grpc.requestCallback<_oicf_v1_LookupResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Drop a lease early. Releasing an unknown or expired lease is a value (released = false), not an error.
   */
  Release(argument: _oicf_v1_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  Release(argument: _oicf_v1_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  Release(argument: _oicf_v1_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  Release(argument: _oicf_v1_ReleaseRequest, callback: grpc.requestCallback<_oicf_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Drop a lease early. Releasing an unknown or expired lease is a value (released = false), not an error.
   */
  release(argument: _oicf_v1_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  release(argument: _oicf_v1_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  release(argument: _oicf_v1_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  release(argument: _oicf_v1_ReleaseRequest, callback: grpc.requestCallback<_oicf_v1_ReleaseResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Occupancy and counters per tier.
   */
  Stats(argument: _oicf_v1_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _oicf_v1_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _oicf_v1_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _oicf_v1_StatsRequest, callback: grpc.requestCallback<_oicf_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Occupancy and counters per tier.
   */
  stats(argument: _oicf_v1_StatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _oicf_v1_StatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_oicf_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _oicf_v1_StatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_oicf_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _oicf_v1_StatsRequest, callback: grpc.requestCallback<_oicf_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface KvPoolHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Evict given blocks, or free at least some bytes chosen by the eviction policy. Leased blocks are skipped.
   */
  Evict: grpc.handleUnaryCall<_oicf_v1_EvictRequest__Output, _oicf_v1_EvictResponse>;
  
  /**
   * Liveness and readiness of the pool.
   */
  Health: grpc.handleUnaryCall<_oicf_v1_HealthRequest__Output, _oicf_v1_HealthResponse>;
  
  /**
   * Pin blocks so they are not evicted until released or the TTL ends (used across a KV handoff).
   */
  Lease: grpc.handleUnaryCall<_oicf_v1_LeaseRequest__Output, _oicf_v1_LeaseResponse>;
  
  /**
   * Longest cached prefix of a hash chain, and the tier of each cached block. A miss is a value (0 blocks).
   */
  Lookup: grpc.handleUnaryCall<_oicf_v1_LookupRequest__Output, _oicf_v1_LookupResponse>;
  
  /**
   * Drop a lease early. Releasing an unknown or expired lease is a value (released = false), not an error.
   */
  Release: grpc.handleUnaryCall<_oicf_v1_ReleaseRequest__Output, _oicf_v1_ReleaseResponse>;
  
  /**
   * Occupancy and counters per tier.
   */
  Stats: grpc.handleUnaryCall<_oicf_v1_StatsRequest__Output, _oicf_v1_StatsResponse>;
  
}

export interface KvPoolDefinition extends grpc.ServiceDefinition {
  Evict: MethodDefinition<_oicf_v1_EvictRequest, _oicf_v1_EvictResponse, _oicf_v1_EvictRequest__Output, _oicf_v1_EvictResponse__Output>
  Health: MethodDefinition<_oicf_v1_HealthRequest, _oicf_v1_HealthResponse, _oicf_v1_HealthRequest__Output, _oicf_v1_HealthResponse__Output>
  Lease: MethodDefinition<_oicf_v1_LeaseRequest, _oicf_v1_LeaseResponse, _oicf_v1_LeaseRequest__Output, _oicf_v1_LeaseResponse__Output>
  Lookup: MethodDefinition<_oicf_v1_LookupRequest, _oicf_v1_LookupResponse, _oicf_v1_LookupRequest__Output, _oicf_v1_LookupResponse__Output>
  Release: MethodDefinition<_oicf_v1_ReleaseRequest, _oicf_v1_ReleaseResponse, _oicf_v1_ReleaseRequest__Output, _oicf_v1_ReleaseResponse__Output>
  Stats: MethodDefinition<_oicf_v1_StatsRequest, _oicf_v1_StatsResponse, _oicf_v1_StatsRequest__Output, _oicf_v1_StatsResponse__Output>
}
