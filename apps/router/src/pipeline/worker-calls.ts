// The lifetime of a request's calls to its workers: one AbortController for the in-flight gRPC call
// (aborted when the client goes away, on the Decode stream's idle timeout, or when the request ends early),
// the idle timer, the mapping of a failed call to the error the client sees, and the DecodeWorker.Cancel
// sent when the request did not finish.
import type { DecodeWorkerClient } from '@oicf/proto';
import { isOicfError, OicfError, toOicfError, unaryCall } from '@oicf/transport';
import type { RequestDeps, RoutedRequest } from './request-context.js';

export class WorkerCalls {
  /** The decode worker's client, taken once: Decode and Cancel go to the worker the request was routed to. */
  readonly decodeClient: DecodeWorkerClient;
  private readonly controller = new AbortController();
  private readonly onClientAbort = () => this.controller.abort();
  // The Decode stream's idle timeout: one timer for the whole stream, re-armed with refresh() on every
  // chunk (a Timeout per chunk would cost an allocation and a timer-list insert each time).
  private idleTimer: NodeJS.Timeout | undefined;
  private idleWhat = 'first chunk';
  private timeoutError: OicfError | undefined;
  private finished = false;

  constructor(
    private readonly deps: RequestDeps,
    private readonly r: RoutedRequest,
    /** Aborted when the client goes away. */
    private readonly clientSignal: AbortSignal,
  ) {
    this.decodeClient = deps.clients.decodeClient(r.plan.decode.grpcAddress);
    clientSignal.addEventListener('abort', this.onClientAbort, { once: true });
  }

  /** The signal every worker call of this request takes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts the idle timeout of the Decode stream (its first chunk must come within it). */
  armIdleTimeout(): void {
    this.idleTimer = setTimeout(this.onIdle, this.deps.config.decodeIdleTimeoutSeconds * 1000);
  }

  /** A Decode chunk arrived: the next one gets a fresh timeout. */
  chunkArrived(): void {
    this.idleWhat = 'chunk';
    this.idleTimer?.refresh();
  }

  disarmIdleTimeout(): void {
    clearTimeout(this.idleTimer);
  }

  /**
   * The error a failed call to `workerId` becomes: CANCELLED when the client left, the idle timeout when
   * that fired, else the call's own error naming the step and the worker (an UNAVAILABLE worker is marked
   * failed in the registry until its next heartbeat).
   */
  failure(err: unknown, workerId: string, what: string): OicfError {
    if (this.clientSignal.aborted) {
      return new OicfError('CANCELLED', `request ${this.r.input.requestId} was cancelled by the client`);
    }
    if (this.timeoutError !== undefined) return this.timeoutError;
    const e = toOicfError(err);
    if (e.code === 'UNAVAILABLE') this.deps.registry.markFailed(workerId, e.message);
    return new OicfError(e.code, `${what} on worker ${workerId} failed: ${e.message}`, { field: e.field, cause: e });
  }

  /**
   * The router ended the output early (a stop string): Cancel the request on the decode worker now, once,
   * so it frees the sequence's KV; its stream then ends with the worker's final chunk (usage, timings). A
   * failed Cancel aborts the stream instead. Nothing more is sent when the calls close.
   */
  cancelEarly(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    const { log } = this.deps;
    const requestId = this.r.input.requestId;
    unaryCall(this.decodeClient, 'Cancel', { requestId, reason }, { timeoutSeconds: 5 }).then(
      (res) => log.debug('request_stopped_early', { requestId, reason, cancelled: res.cancelled }),
      (err: unknown) => {
        log.warn('cancel_failed', { requestId, error: isOicfError(err) ? err.message : String(err) });
        this.controller.abort();
      },
    );
  }

  /** The decode worker finished the request: nothing to cancel when the calls close. */
  markFinished(): void {
    this.finished = true;
  }

  /** Ends the request's calls. Unfinished (failed, or the client left): abort the call and Cancel it on the decode worker. */
  close(): void {
    clearTimeout(this.idleTimer);
    this.clientSignal.removeEventListener('abort', this.onClientAbort);
    if (this.finished) return;
    this.controller.abort();
    const { log } = this.deps;
    const requestId = this.r.input.requestId;
    const reason = this.clientSignal.aborted ? 'client disconnected' : 'request failed at the router';
    unaryCall(this.decodeClient, 'Cancel', { requestId, reason }, { timeoutSeconds: 5 }).then(
      (res) => log.info('request_cancelled', { requestId, reason, cancelled: res.cancelled }),
      (err: unknown) => log.warn('cancel_failed', { requestId, error: isOicfError(err) ? err.message : String(err) }),
    );
  }

  private readonly onIdle = () => {
    const { plan } = this.r;
    this.timeoutError = new OicfError(
      'DEADLINE_EXCEEDED',
      `decode worker ${plan.decode.workerId} sent no ${this.idleWhat} within ${this.deps.config.decodeIdleTimeoutSeconds} s (decodeIdleTimeoutSeconds): the request was cancelled`,
    );
    this.controller.abort();
  };
}
