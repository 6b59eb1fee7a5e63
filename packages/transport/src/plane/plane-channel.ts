// The router's end of a request-plane channel (request_plane.proto): ONE WebSocket to one worker carrying
// every request routed to it, multiplexed by request id.
//
//   start(call, 'decode' | 'prefill', body) ──frame id = call.id──▶ worker
//   ◀── decode.step {outputs[]}   each output → calls[output.chunk.request_id].onOutput   (credit returned)
//   ◀── prefill.done / error      → calls[envelope id].onFrame, and the call is forgotten
//   cancel(id, reason)            ──cancel──▶ worker, and the call is forgotten
//   stop(id, reason)              ──cancel──▶ worker; the call stays open for its last (cancelled) output
//
// Failure: when the socket closes, or the peer sends nothing (not even a pong) for `livenessTimeoutSeconds`,
// every open call fails at once with UNAVAILABLE naming the peer, and the channel is done (the owner opens a
// new one for later requests). A call may also carry an idle limit: no frame for it within the limit → the
// channel sends `cancel` and tells the call. Both are checked on one timer per channel (every tickSeconds),
// not one timer per call.
//
// Batching: the frames the router sends in one event-loop turn (the `decode` frames of several requests
// that arrived together, a credit, a cancel) leave in one socket write: the first corks the socket and the
// end of the turn (setImmediate, after every I/O callback of this loop iteration) uncorks it. The worker
// then reads them in one read, and answers their tokens in one step frame.
import type { SequenceOutput__Output } from '@oicf/proto';
import type { ClusterCredentials } from '../auth/cluster-keys.js';
import { clusterAuthHeaders, clusterCredentials } from '../auth/process-auth.js';
import { fromHttpError, fromWsClose, toWsClose } from '../error-convert.js';
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame } from '../frame-codec.js';
import { type Frame, type FrameBody, type FrameKind, isTerminalKind } from '../frame-kinds.js';
import { encodeFrameParts } from '../frame-parts.js';
import { CONNECTION_SCOPE_ID } from '../frame-socket.js';
import { OicfError, toOicfError } from '../oicf-error.js';
import { CreditLedger } from './credit.js';
import { HandshakeError, PlaneSocket } from './plane-socket.js';

/** One request on a channel: the caller's per-request object (no wrapper is allocated per call). */
export interface PlaneCall {
  /** The request id: the envelope id of its frames and the request_id of its outputs. */
  readonly id: string;
  /** Most milliseconds without a frame for this call before it is cancelled (0 = no limit). */
  readonly idleTimeoutMs: number;
  /** performance.now() of the last frame for this call; the channel sets it (start counts as one). */
  lastFrameMs: number;
  /** A frame addressed to this call: `prefill.done` or `error` (both end it: the channel forgets it first). */
  onFrame(frame: Frame): void;
  /** This call's share of a `decode.step` frame. */
  onOutput(output: SequenceOutput__Output): void;
  /** The channel closed with this call open (it is forgotten). */
  onClosed(error: OicfError): void;
  /** No frame within idleTimeoutMs: the channel forgot the call and sent `cancel` for it. */
  onIdle(): void;
}

export interface PlaneChannelOptions {
  /** Who is at the other end, for error messages: "decode worker decode-0". */
  readonly peer: string;
  /** Period of the channel's timer: ping, liveness and idle checks. */
  readonly tickSeconds: number;
  /** The peer is dead when nothing (frame or pong) came for this long. */
  readonly livenessTimeoutSeconds: number;
  /** Frames of `decode.step` the worker may have in flight (default 64). */
  readonly creditWindowFrames?: number;
  readonly maxFrameBytes?: number;
  readonly connectTimeoutSeconds?: number;
  /**
   * Cluster credentials the handshake carries (a fresh member token in `Authorization`, docs/reliability.md):
   * default this process's; null sends none (tests of refusal).
   */
  readonly auth?: ClusterCredentials | null;
  /** The channel closed (after every open call was failed). */
  readonly onClose?: (error: OicfError) => void;
  /** A problem that is nobody's request: a connection-scoped error frame, a handler that threw. */
  readonly onProblem?: (error: OicfError) => void;
}

const DEFAULT_CREDIT_WINDOW_FRAMES = 64;

export class PlaneChannel {
  private readonly calls = new Map<string, PlaneCall>();
  private readonly ledger: CreditLedger;
  private readonly timer: NodeJS.Timeout;
  private readonly maxFrameBytes: number;
  private lastHeardMs = performance.now();
  private closeError: OicfError | undefined;
  private killReason: string | undefined;
  private batching = false;
  private readonly whenClosed: Promise<void>;
  private resolveClosed: () => void = () => {};

  private constructor(
    private readonly socket: PlaneSocket,
    readonly url: string,
    private readonly options: PlaneChannelOptions,
  ) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.ledger = new CreditLedger(options.creditWindowFrames ?? DEFAULT_CREDIT_WINDOW_FRAMES);
    this.whenClosed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    socket.start({
      onMessage: (data) => this.receive(data),
      onPong: () => {
        this.lastHeardMs = performance.now();
      },
      onBadFrame: (why) => {
        this.killReason ??= `it sent a bad frame (${why})`;
      },
      onClose: (code, reason) => this.closed(code, reason),
    });
    this.timer = setInterval(() => this.tick(), options.tickSeconds * 1000);
    this.timer.unref();
    this.post('plane.credit', CONNECTION_SCOPE_ID, { numFrames: this.ledger.windowFrames });
  }

  /** Connects to a worker's ws port; rejects with UNAVAILABLE naming the peer when it cannot. */
  static async connect(url: string, options: PlaneChannelOptions): Promise<PlaneChannel> {
    const seconds = options.connectTimeoutSeconds ?? 5;
    try {
      const socket = await PlaneSocket.connect(url, {
        maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        connectTimeoutSeconds: seconds,
        // The worker's ws port takes cluster members only: no token, no channel (and so no frame).
        headers: options.auth === null ? {} : clusterAuthHeaders(options.auth ?? clusterCredentials()),
      });
      return new PlaneChannel(socket, url, options);
    } catch (err) {
      const prefix = `cannot open the request channel to ${options.peer} at ${url}`;
      // A refused handshake (401 without a valid member token, 503 at the connection limit): its code.
      if (err instanceof HandshakeError && err.statusCode > 0) {
        const e = fromHttpError(err.statusCode, undefined);
        throw new OicfError(
          e.code,
          `${prefix}: the worker refused the handshake (HTTP ${err.statusCode}${err.statusCode === 401 ? ', no valid cluster member token' : ''})`,
        );
      }
      throw new OicfError('UNAVAILABLE', `${prefix}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  get isOpen(): boolean {
    return this.closeError === undefined && this.socket.isOpen;
  }

  get numOpenCalls(): number {
    return this.calls.size;
  }

  /**
   * Opens `call` and sends its first frame. Throws UNAVAILABLE when the channel is closed, ALREADY_EXISTS
   * when its id is open here, and INVALID_ARGUMENT for a body that is not a `kind` message.
   */
  start<K extends FrameKind>(call: PlaneCall, kind: K, body: FrameBody<K>): void {
    if (this.closeError !== undefined) throw this.closeError;
    if (this.calls.has(call.id)) {
      throw new OicfError(
        'ALREADY_EXISTS',
        `request ${call.id} is already open on the channel to ${this.options.peer}`,
      );
    }
    this.post(kind, call.id, body);
    call.lastFrameMs = performance.now();
    this.calls.set(call.id, call);
  }

  /** Forgets call `id` (it finished): later frames for it are dropped. */
  end(id: string): void {
    this.calls.delete(id);
  }

  /** Forgets call `id` and tells the worker to stop it. A closed channel needs no cancel (the worker already cancelled). */
  cancel(id: string, reason: string): void {
    this.calls.delete(id);
    this.stop(id, reason);
  }

  /**
   * Tells the worker to stop call `id` and keeps the call open: its last output (a cancelled finish, with
   * usage and timings) still reaches it, or a closed channel or its idle limit ends it as usual.
   */
  stop(id: string, reason: string): void {
    if (!this.isOpen) return;
    try {
      this.post('cancel', id, { requestId: id, reason });
    } catch (err) {
      this.options.onProblem?.(toOicfError(err));
    }
  }

  /** Closes the channel; open calls fail with UNAVAILABLE. Resolves once the socket is closed. */
  close(reason = 'the router closed the channel'): Promise<void> {
    clearInterval(this.timer);
    if (this.closeError === undefined) {
      this.killReason ??= reason;
      this.socket.close(1000, 'done');
    }
    return this.whenClosed;
  }

  private receive(data: Buffer): void {
    const now = performance.now();
    const decoded = decodeFrame(data, this.maxFrameBytes);
    if (!decoded.ok) {
      this.killReason ??= `it sent a bad frame (${decoded.error.message})`;
      const { code, reason } = toWsClose(decoded.error);
      this.socket.refuse(code, reason);
      return;
    }
    const frame = decoded.frame;
    if (frame.kind === 'decode.step') {
      for (const output of frame.body.outputs) {
        const call = this.calls.get(output.chunk?.requestId ?? '');
        if (call === undefined) continue; // finished or cancelled here already
        call.lastFrameMs = now;
        this.guard(() => call.onOutput(output));
      }
      const grant = this.ledger.received();
      if (grant > 0 && this.isOpen) this.post('plane.credit', CONNECTION_SCOPE_ID, { numFrames: grant });
      return;
    }
    const call = this.calls.get(frame.id);
    if (call === undefined) {
      if (frame.kind === 'error' && frame.id === CONNECTION_SCOPE_ID) {
        this.options.onProblem?.(
          new OicfError('INTERNAL', `${this.options.peer} reported a channel error: ${frame.body.message}`),
        );
      }
      return;
    }
    if (isTerminalKind(frame.kind)) this.calls.delete(frame.id);
    call.lastFrameMs = now;
    this.guard(() => call.onFrame(frame));
  }

  /** Sends one frame in this turn's batch (see Batching above); throws what FrameSocket.post throws. */
  private post<K extends FrameKind>(kind: K, id: string, body: FrameBody<K>): void {
    if (!this.isOpen)
      throw this.closeError ?? new OicfError('UNAVAILABLE', `request channel to ${this.options.peer} is closing`);
    const parts = encodeFrameParts(kind, id, body, this.maxFrameBytes);
    if (!this.batching) {
      this.batching = true;
      this.socket.cork();
      setImmediate(this.endBatch);
    }
    this.socket.send(parts);
  }

  private readonly endBatch = (): void => {
    this.batching = false;
    this.socket.uncork();
  };

  private tick(): void {
    const now = performance.now();
    if (now - this.lastHeardMs > this.options.livenessTimeoutSeconds * 1000) {
      this.killReason = `it answered nothing (not even a ping) for ${this.options.livenessTimeoutSeconds} s`;
      this.socket.terminate();
      return;
    }
    this.socket.ping();
    for (const call of this.calls.values()) {
      if (call.idleTimeoutMs > 0 && now - call.lastFrameMs > call.idleTimeoutMs) {
        this.guard(() => call.onIdle());
        this.cancel(call.id, 'idle timeout at the router');
      }
    }
  }

  private closed(code: number, reason: string): void {
    clearInterval(this.timer);
    const why =
      this.killReason ??
      fromWsClose(code, reason)?.message ??
      `connection closed (code ${code}: ${reason || 'normal'})`;
    const error = new OicfError('UNAVAILABLE', `request channel to ${this.options.peer} closed: ${why}`);
    this.closeError = error;
    const open = [...this.calls.values()];
    this.calls.clear();
    for (const call of open) this.guard(() => call.onClosed(error));
    this.options.onClose?.(error);
    this.resolveClosed();
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.onProblem?.(toOicfError(err));
    }
  }
}
