import { awaitedPrefixBlocks } from '@oicf/kv';
import type { DecodeRequest__Output } from '@oicf/proto';
import type { WorkerRuntime } from '@oicf/worker';
import type { FinishedBlocks, SessionInfo } from './finished-blocks.js';
import type { DecodeMetrics } from './metrics.js';
import type { PrefixWaiters } from './prefix-waiters.js';

/**
 * The decode worker's side of in-flight prefixes (issue 16.1). The router routes a request that shares a
 * prefix still being computed for another request here, to wait for it rather than recompute it; this is
 * what makes the KV be here when the router says it will:
 *
 *   request A (computing)                       request B (waiting: num_await_prefix_tokens, A's id)
 *   prompt KV present (first token) ─ landed ─▶ prompt's full blocks into the local block cache ─▶ wakes B
 *                                               and offered to the pool (so a request prefilled elsewhere
 *                                               finds them there before A finishes)
 *   Decode call ends (any outcome) ── ended ──▶ B stops waiting if its blocks are still not held
 *                                               B gathers as usual: local cache first, computes the rest
 *
 * A wait is bounded by the call's kv_wait_seconds (else the worker's kvWaitSeconds); each is counted by
 * outcome (`oicf_decode_prefix_wait_requests_total`). Whatever is not held when it ends is computed.
 */
export class LandedPrompts {
  constructor(
    private readonly rt: WorkerRuntime,
    private readonly finished: FinishedBlocks,
    private readonly waiters: PrefixWaiters,
    private readonly dm: DecodeMetrics,
    /** The session of each request in flight here (its pool offer carries the session's TTL). */
    private readonly sessions: ReadonlyMap<string, SessionInfo>,
  ) {}

  /** Waits for the prefix the request awaits, if any; resolves when it is held or will not come. */
  async awaitPrefix(req: DecodeRequest__Output, signal: AbortSignal): Promise<void> {
    const bt = this.rt.config.blockTokens;
    const numBlocks = awaitedPrefixBlocks(
      req.numAwaitPrefixTokens,
      req.promptTokenIds.length,
      req.promptBlocks.length,
      bt,
    );
    if (numBlocks <= 0) return;
    const blockIds = req.promptBlocks.slice(0, numBlocks).map((b) => b.blockId);
    const timeoutSeconds = req.kvWaitSeconds > 0 ? req.kvWaitSeconds : this.rt.config.kvWaitSeconds;
    const t0 = this.rt.clock.nowSeconds();
    const outcome = await this.waiters.wait(blockIds, req.awaitPrefixRequestId, timeoutSeconds, signal);
    this.dm.prefixWaits.inc({ outcome });
    if (outcome !== 'held' && outcome !== 'cancelled') {
      this.rt.log.warn('an awaited in-flight prefix is not here; computing it instead', {
        requestId: req.requestId,
        awaited: req.awaitPrefixRequestId,
        numTokens: numBlocks * bt,
        outcome,
        waitedSeconds: this.rt.clock.nowSeconds() - t0,
      });
    }
  }

  /**
   * The request's prompt KV is present (its first token): its full prompt blocks become reusable here at
   * once, and in the pool as soon as the background offer lands (the finish offers only what is new then).
   */
  landed(seqId: string, promptTokenIds: readonly number[]): void {
    const kv = this.rt.kernel.sequence(seqId);
    const session = this.sessions.get(seqId) ?? { sessionId: '', ttlSeconds: 0 };
    if (kv !== undefined) this.finished.keep(promptTokenIds, kv, session);
    this.waiters.requestDone(seqId);
  }

  /** The request's Decode call ended here. */
  ended(seqId: string): void {
    this.waiters.requestDone(seqId);
  }
}
