import type { PoolTierId } from '@oicf/core';
import { type BlockMeta, TieredBlockCache, type TierStore } from '@oicf/kv';
import type { EvictResult, EvictTarget, PoolLease, PoolLookup, PoolStats, PutAck, PutRequest } from '@oicf/pool-client';
import { OicfError } from '@oicf/transport';
import { isArenaStore } from '../stores/shm-arena-store.js';
import { holdsBytesPrivately } from '../stores/trusted-memory-tier-store.js';
import { ActionRunner, type TierCounters } from './action-runner.js';
import { digestMoveCheck } from './block-digests.js';
import { evict, lease, lookup, stats } from './control.js';
import { Mutex } from './mutex.js';
import type { KvPoolOptions, PoolCore } from './pool-core.js';
import type { GetItem, SlotPayload } from './pool-items.js';
import { requireLeaseCovers } from './read-lease.js';
import { receiptCheck } from './receipt-check.js';
import { requireId, requireIds } from './validate.js';

/**
 * A received payload is a view into its frame's buffer, which nobody writes again: keep it
 * without copying when it is most of that buffer; copy small ones so a 1 KiB block cannot pin
 * a 64 KiB socket read.
 */
function worthAdopting(payload: Uint8Array): boolean {
  return payload.byteLength * 2 >= payload.buffer.byteLength;
}

/** Seconds a get pins the block it is reading (released as soon as the read ends). */
const READ_PIN_SECONDS = 60;
/** The bytes handed to a check that got their XXH32 computed in place (receipt-check.ts). */
const NO_BYTES = new Uint8Array(0);

/**
 * The KV pool: a TieredBlockCache (placement, policies, leases, sessions) over real tier
 * stores. It speaks the pool API's domain types (@oicf/pool-client); the gRPC and WebSocket
 * adapters (../grpc, ../ws) translate wire messages. Mutations of placement and the byte moves
 * they imply run under one mutex; reads of block bytes run outside it, with the block pinned so it
 * cannot move while it is read.
 */
export class KvPool {
  private readonly core: PoolCore;
  private nextPin = 1;

  private constructor(options: KvPoolOptions) {
    const cache = new TieredBlockCache(options.tiers.map((t) => ({ tier: t.model, policy: t.policy })));
    const stores = new Map<string, TierStore>(options.tiers.map((t) => [t.name, t.store]));
    const counters = new Map<string, TierCounters>(
      options.tiers.map((t) => [t.name, { numPromotions: 0, numDemotions: 0, numEvictions: 0 }]),
    );
    const meta = new Map<string, BlockMeta>();
    const observer = options.observer ?? {};
    const tierIds = new Set<string>(options.tiers.map((t) => t.name));
    this.core = {
      options,
      cache,
      stores,
      meta,
      counters,
      mutex: new Mutex(),
      runner: new ActionRunner(cache, stores, meta, counters, observer, digestMoveCheck(options.digests)),
      observer,
      now: () => options.clock.nowSeconds(),
      tierId: (name) => {
        if (!tierIds.has(name)) throw new Error(`the pool has no tier '${name}' (broken invariant)`);
        return name as PoolTierId;
      },
    };
  }

  /** Opens the pool and rebuilds its index from what the (persistent) stores already hold. */
  static async open(options: KvPoolOptions): Promise<KvPool> {
    const pool = new KvPool(options);
    const now = options.clock.nowSeconds();
    for (const tier of options.tiers) {
      for (const info of await tier.store.list()) {
        const block = {
          key: info.blockId,
          numBytes: info.numBytes,
          position: info.meta.position,
          parentKey: info.meta.parentId,
        };
        if (pool.core.cache.restore(block, tier.name, now)) pool.core.meta.set(info.blockId, info.meta);
        else await tier.store.delete(info.blockId);
      }
    }
    options.digests?.compact((id) => pool.core.cache.tierOf(id) !== undefined);
    return pool;
  }

  async put(body: PutRequest, slot?: SlotPayload): Promise<PutAck> {
    const arena = slot === undefined ? undefined : this.arena();
    if (slot !== undefined && arena === undefined) throw new Error('a slot put without an arena (broken invariant)');
    let adopted = false;
    try {
      return await this.putFrom(body, slot, arena, () => {
        adopted = true;
      });
    } finally {
      if (slot !== undefined && !adopted) arena?.discardSlot(slot.extent);
    }
  }

  private async putFrom(
    body: PutRequest,
    slot: SlotPayload | undefined,
    arena: ReturnType<KvPool['arena']>,
    onAdopted: () => void,
  ): Promise<PutAck> {
    const started = this.now();
    const blockId = requireId(body.blockId, 'body.blockId');
    const parentId = body.parentId === '' ? undefined : requireId(body.parentId, 'body.parentId');
    const numTokens = body.numTokens === 0 ? this.core.options.blockTokens : body.numTokens;
    if (numTokens > this.core.options.blockTokens) {
      throw new OicfError(
        'INVALID_ARGUMENT',
        `body.numTokens ${numTokens} exceeds the pool's block size ${this.core.options.blockTokens}`,
        {
          field: 'body.numTokens',
        },
      );
    }
    // The bytes every check runs on: the frame's payload, or one read of the slot a same-host writer filled (so
    // the keyed digest covers shared-memory puts exactly as inline ones; receipt-check.ts says what is checked).
    const digests = this.core.options.digests;
    const checkBytes = receiptCheck(body, blockId, numTokens === this.core.options.blockTokens, digests);
    // In place (a mapped arena, hashed under the addon's SIGBUS guard: a client that truncated the arena gets an
    // error, the pool lives on) only when XXH32 is the one pass: the digest and the XXH32 it binds must run on one
    // copy, or a same-host member could change the slot between them (receipt-check.ts).
    const inPlaceSum =
      slot === undefined || arena === undefined || digests !== undefined
        ? undefined
        : arena.slotXxh32InPlace(slot.extent, slot.numBytes);
    const checked =
      inPlaceSum !== undefined
        ? checkBytes(NO_BYTES, inPlaceSum)
        : checkBytes(
            slot === undefined || arena === undefined
              ? body.payload
              : arena.readSlot(slot.extent, slot.numBytes, { inPlace: false }),
          );
    if (checked instanceof OicfError) {
      this.core.observer.checksumFailed?.('receipt');
      throw checked;
    }
    const checksum = checked;
    const session =
      body.sessionId !== '' && body.ttlSeconds > 0
        ? // A session pins its KV for at most maxSessionTtlSeconds, whatever a writer asks (docs/reliability.md).
          {
            sessionId: body.sessionId,
            ttlSeconds: Math.min(body.ttlSeconds, this.core.options.maxSessionTtlSeconds ?? Number.POSITIVE_INFINITY),
          }
        : undefined;
    // Chain position from the parent's; a parent the pool does not hold counts as the chain start.
    const position = parentId === undefined ? 0 : (this.core.meta.get(parentId)?.position ?? -1) + 1;
    const meta: BlockMeta = { parentId, position, numTokens };
    const numBytes = slot === undefined ? body.payload.length : slot.numBytes;
    this.core.observer.receivedBytes?.(numBytes);
    return this.core.mutex.run(async () => {
      const outcome = this.core.cache.put(
        { key: blockId, numBytes, position, parentKey: parentId },
        this.now(),
        session,
      );
      await this.core.runner.apply(outcome.actions);
      if (!outcome.ok) {
        throw new OicfError(
          'RESOURCE_EXHAUSTED',
          `cannot store block ${blockId} (${numBytes} bytes): ${outcome.message}; release leases or retry later`,
          {
            field: 'body.payload',
          },
        );
      }
      if (!outcome.alreadyCached && digests !== undefined && body.digest !== undefined) {
        digests.accepted(blockId, body.digest, (id) => this.core.cache.tierOf(id) !== undefined);
      }
      if (!outcome.alreadyCached) {
        const store = this.storeOf(outcome.tier);
        let stored: Awaited<ReturnType<TierStore['put']>>;
        if (slot !== undefined && arena !== undefined && store === arena) {
          stored = arena.adoptSlot(blockId, slot.extent, numBytes, checksum, meta);
          if (stored.ok) onAdopted();
        } else {
          let payload = body.payload;
          if (slot !== undefined && arena !== undefined) {
            // A second read of the slot, which every same-host member can write: what is kept is this copy,
            // so this copy is checked (the first read was checked before the waits above, in a scratch buffer).
            payload = arena.copySlot(slot.extent, numBytes);
            const changed = checkBytes(payload);
            if (changed !== checksum) {
              this.core.cache.remove(blockId);
              this.core.observer.checksumFailed?.('receipt');
              throw changed instanceof OicfError
                ? changed
                : new OicfError(
                    'CHECKSUM_MISMATCH',
                    `block ${blockId}: its slot changed while it was stored: resend it`,
                    {
                      field: 'body.shm',
                    },
                  );
            }
          }
          stored = await store.put(blockId, payload, {
            knownChecksum: checksum,
            meta,
            adopt: worthAdopting(payload),
          });
        }
        if (!stored.ok) {
          this.core.cache.remove(blockId);
          throw new OicfError('RESOURCE_EXHAUSTED', stored.message, { field: 'body.payload' });
        }
        this.core.meta.set(blockId, meta);
      }
      this.core.observer.putSeconds?.(this.now() - started);
      return {
        blockId,
        tier: this.core.tierId(outcome.tier),
        alreadyPresent: outcome.alreadyCached,
        storedBytes: numBytes,
      };
    });
  }

  /** Streams blocks in the order asked; a block that is absent or fails its check is reported in place. */
  async *get(
    blockIds: readonly string[],
    leaseId: string,
    options: { extents?: boolean } = {},
  ): AsyncGenerator<GetItem> {
    const ids = requireIds(blockIds, 'body.blockIds', this.core.options.maxBlocksPerRequest);
    if (leaseId !== '' && !this.core.cache.hasLease(leaseId, this.now())) {
      throw new OicfError('FAILED_PRECONDITION', `lease ${leaseId} is unknown or expired: take a new lease and retry`, {
        field: 'body.leaseId',
      });
    }
    if (this.core.options.requireLeaseForReads === true) requireLeaseCovers(this.core, leaseId, ids, this.now());
    for (const blockId of ids) {
      const started = this.now();
      const pinned = await this.core.mutex.run(async () => {
        const access = this.core.cache.access([blockId], this.now(), { promote: true });
        const foundIn = access.tiersBefore[0];
        if (foundIn === undefined) return undefined;
        const corrupt = await this.core.runner.apply(access.actions);
        if (corrupt.includes(blockId)) return { kind: 'corrupt' as const, tier: foundIn };
        const tierName = this.core.cache.tierOf(blockId);
        if (tierName === undefined) return undefined;
        const tier = this.core.tierId(tierName);
        const pin = this.core.cache.lease([blockId], READ_PIN_SECONDS, this.now(), `read-pin-${this.nextPin++}`);
        return { kind: 'pinned' as const, tier, foundIn, pinId: pin.leaseId };
      });
      if (pinned === undefined) {
        this.core.observer.miss?.();
        yield { kind: 'missing', blockId };
        continue;
      }
      if (pinned.kind === 'corrupt') {
        yield { kind: 'error', blockId, error: this.corruptError(blockId, pinned.tier) };
        continue;
      }
      this.core.observer.hit?.(pinned.foundIn);
      const store = this.storeOf(pinned.tier);
      if (options.extents === true && isArenaStore(store)) {
        // The reader copies from the arena itself; the extent stays pinned until it says it is done.
        const located = store.retain(blockId);
        this.core.cache.release(pinned.pinId, this.now());
        if (located !== undefined) {
          const numTokens = this.core.meta.get(blockId)?.numTokens ?? this.core.options.blockTokens;
          this.core.observer.sentBytes?.(located.numBytes);
          this.core.observer.readSeconds?.(pinned.tier, this.now() - started);
          // The pool does not read extent bytes: the reader checks its copy against the writer's digest.
          const digest = this.core.options.digests?.digestOf(blockId);
          yield {
            kind: 'extent',
            blockId,
            located,
            numTokens,
            tier: pinned.tier,
            ...(digest === undefined ? {} : { digest }),
          };
          continue;
        }
      }
      let read: Awaited<ReturnType<TierStore['get']>>;
      try {
        read = await this.storeOf(pinned.tier).get(blockId);
      } finally {
        this.core.cache.release(pinned.pinId, this.now());
      }
      const digests = this.core.options.digests;
      const recheck = digests !== undefined && !holdsBytesPrivately(this.storeOf(pinned.tier));
      if (read.kind === 'hit' && recheck && !digests.verify(blockId, read.bytes)) {
        // Bytes that are not what their writer signed for this id (changed at rest or by another member, never
        // signed): never served. Bytes in the pool's own memory were checked when they entered it (put, or a move).
        await this.core.mutex.run(() => {
          this.core.cache.remove(blockId);
          this.core.meta.delete(blockId);
        });
        digests.forget(blockId);
        this.core.observer.checksumFailed?.(pinned.tier);
        yield { kind: 'error', blockId, error: this.corruptError(blockId, pinned.tier) };
        continue;
      }
      if (read.kind === 'hit') {
        this.core.observer.sentBytes?.(read.bytes.length);
        this.core.observer.readSeconds?.(pinned.tier, this.now() - started);
        const numTokens = this.core.meta.get(blockId)?.numTokens ?? this.core.options.blockTokens;
        const digest = digests?.digestOf(blockId);
        yield {
          kind: 'block',
          blockId,
          payload: read.bytes,
          checksum: read.checksum,
          numTokens,
          tier: pinned.tier,
          ...(digest === undefined ? {} : { digest }),
        };
        continue;
      }
      await this.core.mutex.run(() => {
        this.core.cache.remove(blockId);
        this.core.meta.delete(blockId);
      });
      if (read.reason === 'absent') {
        yield { kind: 'missing', blockId };
        continue;
      }
      this.core.observer.checksumFailed?.(pinned.tier);
      yield { kind: 'error', blockId, error: this.corruptError(blockId, pinned.tier) };
    }
  }

  /** Longest cached prefix of a chain; `touch` counts the hits as uses. */
  lookup(blockIds: readonly string[], options: { touch?: boolean; query?: boolean } = {}): PoolLookup {
    return lookup(this.core, blockIds, options.touch ?? false, options.query ?? false);
  }

  /** Pins blocks for ttlSeconds (clamped to the configured maximum); absent ids come back as missing. */
  lease(blockIds: readonly string[], ttlSeconds: number): PoolLease {
    return lease(this.core, blockIds, ttlSeconds);
  }

  release(leaseId: string): boolean {
    return this.core.cache.release(leaseId, this.now());
  }

  stats(): Promise<PoolStats> {
    return stats(this.core);
  }

  /** Evicts given blocks, or frees bytes in `tier` (default: the lowest non-empty tier). */
  evict(target: EvictTarget, tier?: PoolTierId): Promise<EvictResult> {
    return evict(this.core, target, tier);
  }

  async close(): Promise<void> {
    await this.core.mutex.run(async () => {
      for (const store of this.core.stores.values()) await store.close();
    });
  }

  private corruptError(blockId: string, tier: string): OicfError {
    return new OicfError(
      'CHECKSUM_MISMATCH',
      `block ${blockId} failed verification in tier ${tier} and was dropped: recompute it`,
      {
        field: 'body.blockIds',
      },
    );
  }

  /** The dram tier's shared-memory arena, when the pool keeps one (config `shm.enabled`). */
  arena() {
    for (const store of this.core.stores.values()) if (isArenaStore(store)) return store;
    return undefined;
  }

  private storeOf(tier: string): TierStore {
    return this.core.stores.get(tier) as TierStore;
  }

  private now(): number {
    return this.core.now();
  }
}

export type { GetItem, SlotPayload } from './pool-items.js';
