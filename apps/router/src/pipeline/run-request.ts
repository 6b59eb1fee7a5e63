// Running one accepted request, steps 4–6 of docs/architecture.md, each one function:
//
//   reserve in-flight load ─▶ leaseCachedPrefix ─▶ [remote] remotePrefill ─▶ first token to the client
//                          ─▶ relayDecode (tokens relayed as the worker's step frames arrive) ─▶ finishRequest
//
// Both worker calls go over the workers' request channels (request_plane.proto), one multiplexed WebSocket
// per worker. In local prefill (colocated, or the policy skipped remote prefill) Decode gets the pool blocks
// as a KvSource and prefills the rest itself; the lease is released once its first output shows it has the
// KV. Aborting `signal` (client gone) sends `cancel` for the call in flight. Every wait has a limit with a
// message naming the worker. The router's in-flight load for the workers is held from start to end.
import type { PrefillResponse__Output } from '@oicf/proto';
import { prefillWithFailover } from '../failover/prefill-failover.js';
import { type CachedPrefix, leaseCachedPrefix } from './cached-prefix.js';
import type { ClientSignal } from './client-abort.js';
import { relayDecode } from './decode-stream.js';
import { type EventSink, pullEvents } from './event-sink.js';
import { finishRequest } from './finish-request.js';
import type { RequestDeps, RoutedRequest } from './request-context.js';
import { TokenEmitter } from './token-emitter.js';
import type { StreamEvent } from './types.js';
import { WorkerCalls } from './worker-calls.js';

/** The request's events as an async generator (n > 1, the gRPC and WebSocket doors): runRequestTo pulled. */
export function runRequest(
  deps: RequestDeps,
  routed: RoutedRequest,
  signal: ClientSignal,
): AsyncGenerator<StreamEvent, void, undefined> {
  return pullEvents((sink) => runRequestTo(deps, routed, signal, sink));
}

/** Runs the request, handing each event to `sink`; resolves once it ended (rejects with the client's error). */
export async function runRequestTo(
  deps: RequestDeps,
  routed: RoutedRequest,
  signal: ClientSignal,
  sink: EventSink,
): Promise<void> {
  // The request as it runs: a failed remote prefill may move it to another prefill worker or to local prefill.
  let r = routed;
  const { metrics } = deps;
  let reservation = deps.admission.reserve(r.plan);
  const calls = new WorkerCalls(deps, r, signal);
  const tokens = new TokenEmitter(deps.clock, r.input.stop);
  let prefix: CachedPrefix | undefined;
  try {
    // Step 4: pin the pool blocks the prefilling worker reads, then (remote) prefill on the prefill worker.
    const leasing = leaseCachedPrefix(deps, r);
    const cached = leasing instanceof Promise ? await leasing : leasing;
    prefix = cached;
    let prefilled: PrefillResponse__Output | undefined;
    let firstIsStop = false;
    if (r.plan.prefill !== undefined) {
      ({ request: r, prefilled } = await prefillWithFailover(deps, r, cached, calls));
    }
    if (prefilled !== undefined) {
      reservation.prefillDone();
      cached.release();
      metrics.kvMoved('pool->prefill', cached.poolBytes);
      metrics.kvMoved('prefill->decode+pool', prefilled.kvBytesSent);
      const firstLogprob = prefilled.firstTokenLogprob;
      const waited = sink(tokens.emit([prefilled.firstTokenId], firstLogprob ? [firstLogprob] : undefined));
      if (waited !== undefined) await waited;
      firstIsStop = r.input.sampling.stopTokenIds.includes(prefilled.firstTokenId) || tokens.stopped;
    }
    // Step 5: the Decode stream, relayed chunk by chunk.
    const remote = prefilled !== undefined;
    const onFirstChunk = () => {
      // The decode worker holds the prompt's KV: its blocks stop being pending (Admission.reserve).
      reservation.prefixLanded();
      if (remote) return;
      reservation.prefillDone();
      cached.release();
      metrics.kvMoved('pool->decode', cached.poolBytes);
    };
    // The decode worker is done with the sequence: its load comes off at once, not when a slow client has
    // read the last token (release is idempotent; the finally below covers every other end).
    const onLastChunk = () => reservation.release();
    // Migrated to another decode worker (its decode worker died mid-stream): the load moves there; its prompt
    // is pending there until the new worker's first output.
    const onMigrated = (next: RoutedRequest) => {
      reservation.release();
      reservation = deps.admission.reserve(next.plan);
      reservation.prefillDone();
      return () => reservation.prefixLanded();
    };
    const step = { prefix: cached, prefilled, firstIsStop, onFirstChunk, onLastChunk, onMigrated };
    const decoded = await relayDecode(deps, r, step, calls, tokens, sink);
    r = decoded.request;
    // Step 6: record it, teach admission, and end the stream.
    calls.markFinished();
    const done = sink(finishRequest(deps, r, prefilled, decoded, tokens, cached.poolBytes));
    if (done !== undefined) await done;
  } finally {
    prefix?.release();
    reservation.release();
    calls.close();
    if (routed.plan.prefill !== undefined) calls.dropHandoff(r.plan.decode);
  }
}
