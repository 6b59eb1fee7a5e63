import type { SequenceKv } from '@oicf/kernels';
import { blockChecksum, type CachedBlock, chainBlockIds, type LocalBlockCache } from '@oicf/kv';
import { putBlocks } from '@oicf/pool-client';
import { toOicfError } from '@oicf/transport';
import { encodePayload, type WorkerRuntime } from '@oicf/worker';

/** The session a finished request belongs to, for the pool offer. */
export interface SessionInfo {
  readonly sessionId: string;
  readonly ttlSeconds: number;
}

/**
 * What happens to a finished sequence's KV (docs/architecture.md step 6): its full blocks (prompt +
 * output, as far as the KV reaches: the last generated token has none) go into the local block cache,
 * which then shrinks to the capacity left by running sequences, and are offered to the pool with the
 * session's TTL, in the background, skipping the prefix the pool already holds (Lookup).
 */
export class FinishedBlocks {
  private offers = new Set<Promise<void>>();

  constructor(
    private readonly rt: WorkerRuntime,
    private readonly cache: LocalBlockCache,
    private readonly capacityLeft: () => number,
    /** Called after blocks entered the cache (requests waiting for a prefix re-check it). */
    private readonly onCached: () => void = () => {},
  ) {}

  keep(tokens: readonly number[], kv: SequenceKv, session: SessionInfo): CachedBlock[] {
    const blocks = this.cacheBlocks(tokens, kv);
    if (blocks.length > 0 && this.rt.config.pool !== undefined) this.track(this.offer(blocks, session));
    return blocks;
  }

  /**
   * Puts the full blocks of `tokens` whose KV `kv` holds into the local block cache (blocks it holds already
   * are reused, not copied again), then shrinks the cache to the capacity running sequences leave. Also what
   * a prompt's landing does (landed-prompts.ts), so a request waiting for that prefix finds it.
   */
  cacheBlocks(tokens: readonly number[], kv: SequenceKv): CachedBlock[] {
    const bt = this.rt.config.blockTokens;
    const numBlocks = Math.floor(Math.min(kv.numTokens, tokens.length) / bt);
    if (numBlocks === 0) return [];
    const chain = chainBlockIds(tokens.slice(0, numBlocks * bt), { blockTokens: bt });
    const blocks = chain.map((blockId, i): CachedBlock => {
      const held = this.cache.peek(blockId);
      if (held !== undefined) return held;
      const payload = encodePayload(
        Array.from({ length: kv.numLayers }, (_, l) => kv.exportLayer(l, i * bt, (i + 1) * bt)),
      );
      return {
        blockId,
        parentId: i === 0 ? '' : (chain[i - 1] as string),
        position: i,
        numTokens: bt,
        payload,
        checksum: blockChecksum(payload),
      };
    });
    this.cache.insertChain(blocks);
    this.cache.shrinkTo(this.capacityLeft());
    this.onCached();
    return blocks;
  }

  /** Resolves when every background pool offer has finished (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.offers.size > 0) await Promise.all([...this.offers]);
  }

  private track(p: Promise<void>): void {
    this.offers.add(p);
    void p.finally(() => this.offers.delete(p));
  }

  private async offer(blocks: readonly CachedBlock[], session: SessionInfo): Promise<void> {
    const { rt } = this;
    const pool = rt.config.pool;
    if (pool === undefined) return;
    try {
      const have =
        rt.poolControl === undefined ? 0 : (await rt.poolControl.lookup(blocks.map((b) => b.blockId))).numCachedBlocks;
      const missing = blocks.slice(have);
      if (missing.length === 0) return;
      const t0 = rt.clock.nowSeconds();
      const out = await rt.blockChannels.with(
        pool.wsAddress,
        (c) =>
          putBlocks(c, missing, {
            sessionId: session.sessionId,
            ttlSeconds: session.ttlSeconds,
            timeoutSeconds: rt.config.transferTimeoutSeconds,
          }),
        true,
      );
      const seconds = await rt.pacer.afterTransfer(
        (out.numStored + out.numAlreadyPresent) * rt.config.blockTokens,
        rt.clock.nowSeconds() - t0,
      );
      rt.wm.kvSent.inc({ link: 'worker->pool' }, out.bytesSent);
      rt.wm.kvTransferSeconds.observe({ link: 'worker->pool' }, seconds);
      for (const f of out.failures) rt.log.debug('the pool refused a block', { ...f });
    } catch (err) {
      rt.log.warn('cannot offer finished blocks to the pool', { error: toOicfError(err).message });
    }
  }
}
