// Steps 4–6 of a routed request in the twin (apps/router/src/pipeline/run-request.ts and its steps:
// leaseCachedPrefix, remotePrefill, relayDecode, finishRequest), on virtual time.
import type { RoutingInfo } from '@oicf/report';
import type { Admission } from '@oicf/sched';
import {
  type DecodeReport,
  type PoolBlock,
  type PrefillReport,
  type RoutePlan,
  type RoutingSummary,
  summarizeFinished,
} from '@oicf/sched';
import type { SimContext } from '../core/sim-context.js';
import type { DecodeFinal, LeasedBlocks, PrefillReply } from '../workers/worker-calls.js';
import type { SimRegistration } from './admission-host.js';
import type { ClientRequest } from './client-request.js';
import type { DecodeWorkerPort, PrefillWorkerPort } from './worker-ports.js';

/** The router's decodeIdleTimeoutSeconds default (apps/router config.ts): bounds a prefix wait. */
const DECODE_IDLE_TIMEOUT_SECONDS = 120;

/** What a routed request needs of its router (SimRouter). */
export interface RouterHost {
  readonly admission: Admission<SimRegistration>;
  readonly workers: {
    readonly decode: ReadonlyMap<string, DecodeWorkerPort>;
    readonly prefill: ReadonlyMap<string, PrefillWorkerPort>;
  };
  readonly httpSeconds: number;
}

/**
 * The client's side of one request. `onFinal` and `onError` happen at the virtual time the client receives
 * them; `onToken` happens when the chunk leaves the worker and names when it reaches the client (a relayed
 * chunk changes nothing at the router but the first one, so the twin does not schedule each hop).
 */
export interface ClientSink {
  onToken(numTokens: number, atSeconds: number): void;
  onFinal(final: ClientFinal): void;
  onError(httpStatus: number | null, code: string, message: string): void;
}

export interface ClientFinal {
  readonly finishReason: 'stop' | 'length';
  readonly usage: { readonly promptTokens: number; readonly completionTokens: number; readonly cachedTokens: number };
  /** The router's `oicf` block (null from a target that sends none). */
  readonly routing: RoutingInfo | null;
}

export interface RoutedRequest {
  readonly req: ClientRequest;
  /** Router clock when the request reached it. */
  readonly arrivalSeconds: number;
  readonly routing: RoutingSummary;
  readonly plan: RoutePlan<SimRegistration>;
}

export function runRouted(ctx: SimContext, router: RouterHost, r: RoutedRequest, sink: ClientSink): void {
  const { queue } = ctx;
  const rpc = ctx.rpcSeconds;
  const http = router.httpSeconds;
  const { req, plan } = r;
  const reservation = router.admission.reserve(plan);
  const toClient = (fn: () => void) => queue.after(http, fn);
  let lease: LeasedBlocks | undefined;
  /** Payload bytes of the leased blocks handed to the prefilling worker. */
  let usedPoolBytes = 0;
  let firstTokenSeconds: number | undefined;
  let numTokensSent = 0;
  const releaseLease = () => {
    const l = lease;
    lease = undefined;
    const pool = ctx.pool;
    if (l === undefined || l.leaseId === '' || pool === undefined) return;
    queue.after(rpc, () => pool.release(l.leaseId, queue.nowSeconds));
  };
  /** Tokens the router relays at `routerSeconds` (now, or one hop ahead for a chunk not scheduled). */
  const processes = ctx.processes;
  const emit = (numTokens: number, routerSeconds: number) => {
    firstTokenSeconds ??= routerSeconds;
    numTokensSent += numTokens;
    if (processes === undefined) {
      sink.onToken(numTokens, routerSeconds + http);
      return;
    }
    // Relaying costs the router's main thread (host-cost model): the chunk leaves when that work is done.
    const work = processes.cost.router.secondsPerToken * numTokens;
    const relay = () => processes.router.serve(work, () => sink.onToken(numTokens, queue.nowSeconds + http));
    // Now: in line at once (a final handled in this same instant must queue behind it).
    if (routerSeconds <= queue.nowSeconds) relay();
    else queue.at(routerSeconds, relay);
  };
  /** Behind the chunks the router is still relaying (at once without a host-cost model). */
  const afterRelays = (fn: () => void) => (processes === undefined ? fn() : processes.router.serve(0, fn));
  const fail = (code: string, message: string) => {
    reservation.release();
    releaseLease();
    // Before any token the front door answers with the error's status; after, the stream carries it.
    const status = numTokensSent > 0 ? null : code === 'RESOURCE_EXHAUSTED' ? 429 : 500;
    toClient(() => sink.onError(status, code, message));
  };

  // Step 6: the decode worker finished.
  const finish = (prefill: PrefillReport | undefined, final: DecodeFinal, firstChunkAfterSeconds: number) => {
    const decode: DecodeReport = {
      firstChunkAfterSeconds,
      numCachedPromptTokens: final.numCachedPromptTokens,
      queueSeconds: final.queueSeconds,
      kvReceiveSeconds: final.kvReceiveSeconds,
      decodeSeconds: final.decodeSeconds,
    };
    const s = summarizeFinished({
      routing: r.routing,
      arrivalSeconds: r.arrivalSeconds,
      firstTokenSeconds: firstTokenSeconds ?? queue.nowSeconds,
      endSeconds: queue.nowSeconds,
      prefill,
      decode,
      poolBytes: usedPoolBytes,
      decodeWorkerPrefixTokens: plan.decodePrefixBlocks * ctx.cluster.blockTokens,
    });
    router.admission.finished(plan, { prefill, decode, generatedTokenIds: final.generatedTokenIds });
    reservation.release();
    releaseLease();
    const routing: RoutingInfo = {
      serverRequestId: r.routing.requestId,
      policy: r.routing.policy,
      reason: r.routing.reason,
      prefillWorkerId: r.routing.prefillWorkerId,
      decodeWorkerId: r.routing.decodeWorkerId,
      cacheSource: s.cacheSource,
      numCachedTokens: s.numCachedTokens,
      predictedTtftSeconds: r.routing.predictedTtftSeconds,
      serverTtftSeconds: s.ttftSeconds,
      serverE2eSeconds: s.e2eSeconds,
      kvBytesMoved: s.kvBytesMoved,
      queueSeconds: s.queueSeconds,
      prefillSeconds: s.prefillSeconds,
      kvTransferSeconds: s.kvTransferSeconds,
      decodeSeconds: s.decodeSeconds,
    };
    const usage = {
      promptTokens: req.prompt.numTokens,
      completionTokens: final.numCompletionTokens,
      cachedTokens: s.numCachedTokens,
    };
    toClient(() => sink.onFinal({ finishReason: final.finishReason, usage, routing }));
  };

  // Step 5: Decode, its chunks relayed as they come.
  const decode = (prefilled: PrefillReply | undefined) => {
    const worker = router.workers.decode.get(plan.decode.workerId);
    if (worker === undefined) {
      fail('UNAVAILABLE', `decode worker ${plan.decode.workerId} is not in the twin`);
      return;
    }
    const remote = prefilled !== undefined;
    let firstChunkAfter: number | undefined;
    const onFirstChunk = (emittedAfter: number) => {
      if (firstChunkAfter !== undefined) return;
      firstChunkAfter = emittedAfter;
      if (remote) return;
      reservation.prefillDone();
      releaseLease();
    };
    queue.after(rpc, () =>
      worker.decode(
        {
          requestId: req.requestId,
          prompt: req.prompt,
          kvSources: remote || lease === undefined || lease.blocks.length === 0 ? undefined : lease,
          numHandoffTokens: plan.numHandoffTokens,
          firstTokenId: prefilled?.firstTokenId,
          maxTokens: req.maxTokens,
          sessionId: req.sessionId,
          sessionTtlSeconds: req.sessionTtlSeconds,
          // relayDecode: wait for an in-flight prefix as long as the call's idle timeout allows, less 5 s.
          ...(plan.awaitPrefix !== undefined
            ? {
                awaitPrefix: {
                  requestId: plan.awaitPrefix.requestId,
                  numTokens: plan.awaitPrefix.numTokens,
                  waitSeconds: Math.max(1, DECODE_IDLE_TIMEOUT_SECONDS - 5),
                },
              }
            : {}),
        },
        {
          onChunk: (n, emittedAfter) => {
            if (firstChunkAfter === undefined) {
              // The first chunk moves the router's state (local prefill is done): at its arrival.
              queue.after(rpc, () => {
                onFirstChunk(emittedAfter);
                emit(n, queue.nowSeconds);
              });
            } else {
              emit(n, queue.nowSeconds + rpc);
            }
          },
          onFinal: (final) =>
            queue.after(rpc, () =>
              afterRelays(() => {
                onFirstChunk(final.emittedAfterSeconds);
                finish(prefilled?.report, final, firstChunkAfter ?? final.emittedAfterSeconds);
              }),
            ),
          onError: (code, message) => queue.after(rpc, () => fail(code, message)),
        },
      ),
    );
  };

  // Step 4: lease the plan's pool blocks, then (remote) Prefill.
  const start = (leased: LeasedBlocks | undefined) => {
    lease = leased;
    usedPoolBytes = sumBytes(leased?.blocks ?? []);
    const prefillWorkerId = plan.prefill?.workerId;
    if (prefillWorkerId === undefined) {
      decode(undefined);
      return;
    }
    const worker = router.workers.prefill.get(prefillWorkerId);
    if (worker === undefined) {
      fail('UNAVAILABLE', `prefill worker ${prefillWorkerId} is not in the twin`);
      return;
    }
    queue.after(rpc, () =>
      worker.prefill(
        {
          requestId: req.requestId,
          prompt: req.prompt,
          cachedPrefix: leased !== undefined && leased.blocks.length > 0 ? leased : undefined,
          decodeWorkerId: plan.decode.workerId,
          numDecodeCachedTokens: plan.numDecodeCachedTokens,
          sessionId: req.sessionId,
          sessionTtlSeconds: req.sessionTtlSeconds,
        },
        (reply) =>
          queue.after(rpc, () => {
            reservation.prefillDone();
            releaseLease();
            emit(1, queue.nowSeconds);
            decode(reply);
          }),
      ),
    );
  };

  const wanted = plan.poolBlocksToLease;
  const pool = ctx.pool;
  if (wanted.length === 0 || pool === undefined) {
    start(undefined);
    return;
  }
  queue.after(rpc, () => {
    const ids = wanted.map((b) => b.blockId);
    const granted = pool.lease(ids, ctx.cluster.router.leaseTtlSeconds, queue.nowSeconds);
    queue.after(rpc, () => {
      // Only the leading blocks the lease pins are handed on (leasePoolBlocks).
      const pinned = new Set(granted.leased);
      let n = 0;
      while (n < wanted.length && pinned.has((wanted[n] as PoolBlock).blockId)) n++;
      start({ leaseId: granted.leaseId, blocks: wanted.slice(0, n) });
    });
  });
}

function sumBytes(blocks: readonly PoolBlock[]): number {
  let n = 0;
  for (const b of blocks) n += b.sizeBytes;
  return n;
}
