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
// that arrived together, a credit, a cancel) leave in one socket write, as every FrameSocket's frames do (it
// corks the socket at a turn's first frame and uncorks it at the turn's end, see frame-socket.ts). The worker
// then reads them in one read, and answers their tokens in one step frame.
//
// Hot frames (hot-frames.ts): the upgrade request says `x-oicf-hot-frames: 1` (this end reads binary
// `decode.step` frames); a worker of this build answers it in the 101 response, and only then are `decode`
// frames sent in the binary layout. A worker of an older build answers nothing and gets msgpack.
import type { SequenceOutput__Output } from '@oicf/proto';
import { WebSocket } from 'ws';
import type { ClusterCredentials } from '../auth/cluster-keys.js';
import { clusterAuthHeaders, clusterCredentials } from '../auth/process-auth.js';
import { fromHttpError, fromWsClose } from '../error-convert.js';
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame } from '../frame-codec.js';
import { type Frame, type FrameBody, type FrameKind, isTerminalKind } from '../frame-kinds.js';
import { CONNECTION_SCOPE_ID, DEFAULT_HIGH_WATER_MARK_BYTES, FrameSocket } from '../frame-socket.js';
import { HOT_FRAMES_HEADER, HOT_FRAMES_VERSION, offersHotFrames } from '../hot-frames.js';
import { OicfError, toOicfError } from '../oicf-error.js';
import { zeroMask } from '../ws-client.js';
import { receiveDirect } from '../ws-direct-receive.js';
import { CreditLedger } from './credit.js';

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
  private readonly fs: FrameSocket;
  private readonly ledger: CreditLedger;
  private readonly timer: NodeJS.Timeout;
  private lastHeardMs = performance.now();
  private closeError: OicfError | undefined;
  private killReason: string | undefined;

  private constructor(
    private readonly ws: WebSocket,
    readonly url: string,
    private readonly options: PlaneChannelOptions,
    hotFrames: boolean,
  ) {
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.fs = new FrameSocket(ws, { maxFrameBytes, highWaterMarkBytes: DEFAULT_HIGH_WATER_MARK_BYTES, hotFrames });
    this.ledger = new CreditLedger(options.creditWindowFrames ?? DEFAULT_CREDIT_WINDOW_FRAMES);
    ws.on('message', (data: Buffer) => this.receive(data, maxFrameBytes));
    // Step frames straight off the socket's chunks, past ws's Receiver (ws-direct-receive.ts).
    receiveDirect(ws);
    ws.on('pong', () => {
      this.lastHeardMs = performance.now();
    });
    ws.on('error', () => {}); // the 'close' that follows carries the outcome
    ws.on('close', (code, reason) => this.closed(code, reason.toString()));
    this.timer = setInterval(() => this.tick(), options.tickSeconds * 1000);
    this.timer.unref();
    this.post('plane.credit', CONNECTION_SCOPE_ID, { numFrames: this.ledger.windowFrames });
  }

  /** Connects to a worker's ws port; rejects with UNAVAILABLE naming the peer when it cannot. */
  static async connect(url: string, options: PlaneChannelOptions): Promise<PlaneChannel> {
    const ws = new WebSocket(url, {
      maxPayload: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      perMessageDeflate: false,
      generateMask: zeroMask,
      headers: {
        // The worker's ws port takes cluster members only: no token, no channel (and so no frame).
        ...(options.auth === null ? {} : clusterAuthHeaders(options.auth ?? clusterCredentials())),
        // This end reads binary decode.step frames (see Hot frames above).
        [HOT_FRAMES_HEADER]: HOT_FRAMES_VERSION,
      },
    });
    // The 101 response, before 'open': whether the worker reads binary decode frames.
    let hotFrames = false;
    ws.once('upgrade', (res) => {
      hotFrames = offersHotFrames(res.headers);
    });
    const seconds = options.connectTimeoutSeconds ?? 5;
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) =>
        reject(new OicfError('UNAVAILABLE', `cannot open the request channel to ${options.peer} at ${url}: ${why}`));
      const timer = setTimeout(() => {
        ws.terminate();
        fail(`no connection within ${seconds} s`);
      }, seconds * 1000);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        fail(err.message);
      });
      // A refused handshake (401 without a valid member token, 503 at the connection limit): its code.
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        res.resume();
        const e = fromHttpError(res.statusCode ?? 0, undefined);
        ws.terminate();
        reject(
          new OicfError(
            e.code,
            `cannot open the request channel to ${options.peer} at ${url}: the worker refused the handshake (HTTP ${res.statusCode}${res.statusCode === 401 ? ', no valid cluster member token' : ''})`,
          ),
        );
      });
    });
    return new PlaneChannel(ws, url, options, hotFrames);
  }

  /** Whether this channel sends `decode` in the binary layout (the worker said at the upgrade it reads it). */
  get hotFrames(): boolean {
    return this.fs.hotFrames;
  }

  get isOpen(): boolean {
    return this.closeError === undefined && this.fs.isOpen;
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
    return new Promise<void>((resolve) => {
      clearInterval(this.timer);
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.killReason ??= reason;
      this.ws.once('close', () => resolve());
      this.fs.close();
      setTimeout(() => this.ws.terminate(), 2000).unref();
    });
  }

  private receive(data: Buffer, maxFrameBytes: number): void {
    const now = performance.now();
    this.lastHeardMs = now;
    const decoded = decodeFrame(data, maxFrameBytes);
    if (!decoded.ok) {
      this.killReason = `it sent a bad frame (${decoded.error.message})`;
      this.fs.close(decoded.error);
      return;
    }
    const frame = decoded.frame;
    if (frame.kind === 'decode.step') {
      for (const output of frame.body.outputs) {
        const call = this.calls.get(output.chunk?.requestId ?? '');
        if (call === undefined) continue; // finished or cancelled here already
        call.lastFrameMs = now;
        try {
          call.onOutput(output);
        } catch (err) {
          this.options.onProblem?.(toOicfError(err));
        }
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
    this.fs.post(kind, id, body);
  }

  private tick(): void {
    const now = performance.now();
    if (now - this.lastHeardMs > this.options.livenessTimeoutSeconds * 1000) {
      this.killReason = `it answered nothing (not even a ping) for ${this.options.livenessTimeoutSeconds} s`;
      this.ws.terminate();
      return;
    }
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
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
    this.fs.fail(error);
    const open = [...this.calls.values()];
    this.calls.clear();
    for (const call of open) this.guard(() => call.onClosed(error));
    this.options.onClose?.(error);
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.onProblem?.(toOicfError(err));
    }
  }
}
