// Original file: oicf/v1/shm.proto

import type { ShmExtent as _oicf_v1_ShmExtent, ShmExtent__Output as _oicf_v1_ShmExtent__Output } from '../../oicf/v1/ShmExtent.js';

/**
 * kind "kv.put.unslot": the writer gives back slots it holds and will not commit (the spare slots of
 * KvPutAck.next_slot left when its puts stop). No answer; extents that are not its slots are ignored.
 */
export interface KvPutUnslot {
  'extents'?: (_oicf_v1_ShmExtent)[];
}

/**
 * kind "kv.put.unslot": the writer gives back slots it holds and will not commit (the spare slots of
 * KvPutAck.next_slot left when its puts stop). No answer; extents that are not its slots are ignored.
 */
export interface KvPutUnslot__Output {
  'extents': (_oicf_v1_ShmExtent__Output)[];
}
