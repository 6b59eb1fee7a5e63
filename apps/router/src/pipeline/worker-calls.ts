// The lifetime of a request's calls to its workers over the request plane: which call is in flight and on
// which channel, stopping it when the client goes away (one listener on the client's signal; no
// AbortController and no timer of its own: idle limits are checked by the channel's one timer), the mapping
// of a failed call to the error the client sees, and the `cancel` sent when the request did not finish.
import { type FrameBody, OicfError, type PlaneCall, type PlaneChannel, toOicfError } from '@oicf/transport';
import type { WorkerRegistration } from '../core/worker-registration.js';
import type { ClientSignal } from './client-abort.js';
import type { RequestDeps, RoutedRequest } from './request-context.js';

/** A call of this request on a channel (prefill or decode): it can be failed from outside. */
export interface RouterCall extends PlaneCall {
  /** True once the worker is done with it (its last frame, an error from it, or a closed channel). */
  readonly settled: boolean;
  fail(error: OicfError): void;
}

export class WorkerCalls {
  private open: { channel: PlaneChannel; call: RouterCall } | undefined;
  /** A decode call was started for this request (on any worker). */
  private decodeBegun = false;
  private left = false;
  private finished = false;
  private timeoutError: OicfError | undefined;

  constructor(
    private readonly deps: RequestDeps,
    private readonly r: RoutedRequest,
    /** Aborted when the client goes away. */
    private readonly clientSignal: ClientSignal,
  ) {
    clientSignal.addEventListener('abort', this.onClientAbort, { once: true });
  }

  /** The client went away (its stream was aborted). */
  get clientLeft(): boolean {
    return this.left;
  }

  /** The request channel to `worker` (already open on the hot path: no await). */
  channelTo(worker: WorkerRegistration): PlaneChannel | Promise<PlaneChannel> {
    return this.deps.clients.ready(worker) ?? this.deps.clients.connect(worker);
  }

  /** Sends `call`'s first frame on `channel` and makes it the call in flight. Throws what start throws. */
  begin<K extends 'prefill' | 'decode'>(channel: PlaneChannel, call: RouterCall, kind: K, body: FrameBody<K>): void {
    if (this.clientSignal.aborted) throw this.cancelledError();
    channel.start(call, kind, body);
    this.open = { channel, call };
    if (kind === 'decode') this.decodeBegun = true;
  }

  /**
   * The request ends after a remote prefill pushed (part of) its KV to `decode`, and no decode call began:
   * a `cancel` for its id tells the decode worker to drop that unclaimed handoff now (not at its TTL).
   */
  dropHandoff(decode: WorkerRegistration): void {
    if (this.decodeBegun) return;
    this.deps.clients.ready(decode)?.cancel(this.r.input.requestId, 'the request ended before its decode');
  }

  /**
   * The call in flight ended (its last frame arrived, or it failed): nothing to cancel for it, and its
   * channel forgets it (a decode's last output does not end the call on the channel by itself; held on, it
   * would wait for the channel's idle check, which would send a needless `cancel`).
   */
  end(): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    open.channel.end(open.call.id);
  }

  /** A call's idle limit passed: the error the client sees (the channel has already sent `cancel`). */
  timedOut(error: OicfError): OicfError {
    this.timeoutError = error;
    this.open = undefined;
    return error;
  }

  /**
   * The error a failed call to `workerId` becomes: CANCELLED when the client left, the idle timeout when
   * that fired, else the call's own error naming the step and the worker (an UNAVAILABLE worker is marked
   * failed in the registry until its next heartbeat).
   */
  failure(err: unknown, workerId: string, what: string): OicfError {
    if (this.left) return this.cancelledError();
    if (this.timeoutError !== undefined) return this.timeoutError;
    const e = toOicfError(err);
    if (e.code === 'UNAVAILABLE') this.deps.registry.markFailed(workerId, e.message);
    return new OicfError(e.code, `${what} on worker ${workerId} failed: ${e.message}`, { field: e.field, cause: e });
  }

  /**
   * The router ended the output early (a stop string): `cancel` the decode now, once, so the worker frees
   * the sequence's KV. The call stays open: its last output (a cancelled finish with usage and timings)
   * still ends it, or its idle limit or a closed channel does. Nothing more is sent when the calls close.
   */
  cancelEarly(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    const open = this.open;
    if (open === undefined || open.call.settled) return;
    open.channel.stop(open.call.id, reason);
    this.deps.log.debug('request_stopped_early', { requestId: this.r.input.requestId, reason });
  }

  /** The decode worker finished the request: nothing to cancel when the calls close. */
  markFinished(): void {
    this.finished = true;
  }

  /**
   * Ends the request's calls. Unfinished (failed, or the router stopped relaying): cancel the one in flight;
   * else its channel forgets it.
   */
  close(): void {
    this.clientSignal.removeEventListener('abort', this.onClientAbort);
    if (this.open === undefined) return;
    if (this.finished || this.open.call.settled) this.end();
    else this.cancelOpen('request failed at the router');
  }

  private cancelOpen(reason: string): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    open.channel.cancel(open.call.id, reason);
    this.deps.log.info('request_cancelled', { requestId: this.r.input.requestId, reason });
    open.call.fail(this.cancelledError());
  }

  private cancelledError(): OicfError {
    return new OicfError('CANCELLED', `request ${this.r.input.requestId} was cancelled by the client`);
  }

  private readonly onClientAbort = () => {
    this.left = true;
    this.cancelOpen('client disconnected');
  };
}
