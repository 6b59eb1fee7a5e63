import type { TierModel } from '../tiers/tier-model.js';

/**
 * The eviction/demotion policy plugin contract. One policy instance orders the blocks of one
 * tier; the tiered cache owns capacity accounting, leases and session pins, and asks the
 * policy for a victim when the tier needs room.
 */

/** Block key: a chained block id (hex) in the pool, or any id (e.g. a Mooncake hash id) in the simulator. */
export type BlockKey = string | number;

export interface PolicyEntry {
  readonly key: BlockKey;
  /** Payload bytes the block occupies in the tier (1 per block in the block-count simulator). */
  readonly numBytes: number;
  /** 0-based index of the block in its chain; deeper blocks cost more to recompute. */
  readonly position: number;
  /** Key of the previous block in the chain, when known (lets a policy evict leaves first). */
  readonly parentKey?: BlockKey | undefined;
}

export interface Victim {
  readonly entry: PolicyEntry;
  /** True: move it to the next lower tier; false: drop it. Always false without a lower tier. */
  readonly demote: boolean;
}

export interface EvictionPolicy {
  readonly name: string;
  /** Blocks currently tracked (resident in the tier). */
  readonly numBlocks: number;
  has(key: BlockKey): boolean;
  /** A block became resident. Precondition: not already tracked. */
  insert(entry: PolicyEntry, nowSeconds: number): void;
  /** A resident block was used (a hit). Unknown keys are ignored. */
  touch(key: BlockKey, nowSeconds: number): void;
  /** The block left the tier for a reason other than victim() (delete, promotion). */
  remove(key: BlockKey): boolean;
  /**
   * Chooses the next block to leave the tier among those `canEvict` accepts, stops tracking
   * it, and says whether to demote it to `lowerTier`. Undefined when no block qualifies.
   * Must not return a block `canEvict` rejects.
   */
  victim(
    canEvict: (key: BlockKey) => boolean,
    nowSeconds: number,
    lowerTier: TierModel | undefined,
  ): Victim | undefined;
}

export interface PolicyContext {
  /** Capacity of the tier the policy orders, in the same unit as PolicyEntry.numBytes. */
  readonly capacityBytes: number;
}

/** Declarative description of one parameter, validated by `parsePolicyParams`. */
export type ParamSpec =
  | {
      readonly kind: 'number';
      readonly description: string;
      readonly default: number;
      readonly min?: number;
      /** When true, `min` itself is rejected. */
      readonly exclusiveMin?: boolean;
      readonly max?: number;
      readonly integer?: boolean;
    }
  | {
      readonly kind: 'function';
      readonly description: string;
      // biome-ignore lint/suspicious/noExplicitAny: a parameter may be any callable; its plugin documents the signature.
      readonly default: (...args: any[]) => unknown;
    };

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

export interface PolicyPlugin<P = unknown> {
  /** Registry name, kebab-case. */
  readonly name: string;
  /** One line for listings. */
  readonly summary: string;
  readonly paramSchema: ParamSchema;
  /** Builds an instance from parameters already validated against paramSchema (defaults filled). */
  create(params: P, context: PolicyContext): EvictionPolicy;
}
