// WebSocket data-plane client: request/response correlation by id, streamed responses, and backpressure
// both ways. Sending: `send` waits while our buffered bytes exceed the high-water mark (see FrameSocket).
// Receiving: while undelivered response frames hold more than receiveHighWaterMarkBytes, the socket is
// paused, so a slow consumer slows the server's sends instead of filling this process's memory.
import { WebSocket } from 'ws';
import type { ClusterCredentials } from './auth/cluster-keys.js';
import { clusterAuthHeaders, clusterCredentials } from './auth/process-auth.js';
import { fromErrorDetail, fromHttpError, fromWsClose } from './error-convert.js';
import { DEFAULT_MAX_FRAME_BYTES, decodeFrame } from './frame-codec.js';
import { type Frame, type FrameBody, type FrameKind, isTerminalKind } from './frame-kinds.js';
import { decodeFrameParts } from './frame-parts.js';
import { CONNECTION_SCOPE_ID, DEFAULT_HIGH_WATER_MARK_BYTES, FrameSocket } from './frame-socket.js';
import { OicfError, toOicfError } from './oicf-error.js';

export interface WsClientOptions {
  maxFrameBytes?: number;
  /** Outgoing buffered bytes before `send` waits. */
  highWaterMarkBytes?: number;
  /** Received-but-unconsumed bytes before the socket is paused. */
  receiveHighWaterMarkBytes?: number;
  connectTimeoutSeconds?: number;
  /** Prefix of generated request ids (default `c<n>`), handy in logs. */
  idPrefix?: string;
  /** Frames for ids with no open call (late answers after a timeout, connection-scoped errors). */
  onUnsolicited?: (frame: Frame) => void;
  /** Credentials for the handshake's member token: default this process's; null sends none. */
  auth?: ClusterCredentials | null;
  /** Extra handshake headers (e.g. `authorization: Bearer <API key>` on the router's public port). */
  headers?: Record<string, string>;
}

export interface CallOptions {
  /** Fail the call with DEADLINE_EXCEEDED after this long (default: no limit). */
  timeoutSeconds?: number;
  /** Abort → the call fails with CANCELLED. */
  signal?: AbortSignal;
  /** Use this request id instead of a generated one (e.g. a KV handoff keyed by request id). */
  id?: string;
}

/** One request on the connection: frames sent and received under one id. */
export interface WsCall {
  readonly id: string;
  /**
   * Sends a frame under this call's id, waiting on backpressure. A bytes field of ≥ 16 KiB is sent from
   * the caller's buffer, not a copy: leave it unmodified (it may still be queued after this resolves).
   */
  send<K extends FrameKind>(kind: K, body: FrameBody<K>): Promise<void>;
  /**
   * The terminal response, which must be of kind `expect`. Rejects with the peer's OicfError on an `error`
   * frame, with PROTOCOL_ERROR if another kind arrives first, and on close, timeout or abort.
   */
  result<R extends FrameKind>(expect: R): Promise<Frame<R>>;
  /** Every response frame in order, ending after the terminal one; throws like `result`. */
  frames(): AsyncIterableIterator<Frame>;
  /** Stops listening for this call's responses. */
  cancel(): void;
}

export interface WsClient {
  readonly url: string;
  call(options?: CallOptions): WsCall;
  /** Sends one frame and awaits its terminal response of kind `expect`. */
  request<K extends FrameKind, R extends FrameKind>(
    kind: K,
    body: FrameBody<K>,
    expect: R,
    options?: CallOptions,
  ): Promise<Frame<R>>;
  /** Sends one frame and iterates its response frames (the terminal one last). */
  stream<K extends FrameKind>(kind: K, body: FrameBody<K>, options?: CallOptions): AsyncIterableIterator<Frame>;
  /** Bytes received and not yet consumed by any call. */
  receivedUnconsumedBytes(): number;
  /** Number of calls waiting for responses. */
  numOpenCalls(): number;
  close(): Promise<void>;
}

/**
 * A `request` waiting for its one answer: settled by the first frame of its id, with no per-call queue,
 * generator or closures (the hot path of a data plane: a put and its ack).
 */
interface PendingRequest {
  expect: FrameKind;
  resolve: (frame: Frame) => void;
  reject: (error: OicfError) => void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface CallState {
  queue: Array<{ frame: Frame; bytes: number }>;
  error: OicfError | undefined;
  ended: boolean;
  wake: (() => void) | undefined;
  timer: NodeJS.Timeout | undefined;
}

let nextClientNumber = 1;

/**
 * The masking key of every client frame: all zeros, which ws then skips applying (a pass over every
 * byte sent, and a copy of the payload). RFC 6455 asks browsers for unpredictable keys so that scripts
 * cannot shape bytes seen by intermediaries; this client is a trusted process on the data plane, and
 * servers accept any key (ws offers `generateMask` for exactly this).
 */
export function zeroMask(mask: Buffer): void {
  mask.fill(0);
}

export async function connectWs(url: string, options: WsClientOptions = {}): Promise<WsClient> {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const receiveHwm = options.receiveHighWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK_BYTES;
  const prefix = options.idPrefix ?? `c${nextClientNumber++}`;
  const auth = options.auth === null ? {} : clusterAuthHeaders(options.auth ?? clusterCredentials());
  const ws = new WebSocket(url, {
    maxPayload: maxFrameBytes,
    perMessageDeflate: false,
    generateMask: zeroMask,
    headers: { ...auth, ...options.headers },
  });
  // Binary messages arrive as their fragments, so a payload sent as its own fragment is never copied
  // into a joined buffer (see frame-parts.ts).
  ws.binaryType = 'fragments';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        ws.terminate();
        reject(
          new OicfError(
            'UNAVAILABLE',
            `no WebSocket connection to ${url} within ${options.connectTimeoutSeconds ?? 5} s`,
          ),
        );
      },
      (options.connectTimeoutSeconds ?? 5) * 1000,
    );
    ws.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(new OicfError('UNAVAILABLE', `cannot connect to ${url}: ${err.message}`, { cause: err }));
    });
    // A refused handshake (401 without a valid member token, 503 at the connection limit): its JSON error.
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < 4096) text += chunk;
      });
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: mapped by status alone
        }
        const e = fromHttpError(res.statusCode ?? 0, body);
        reject(new OicfError(e.code, `cannot connect to ${url}: ${e.message}`, { field: e.field }));
        ws.terminate();
      });
    });
  });
  const fs = new FrameSocket(ws, {
    maxFrameBytes,
    highWaterMarkBytes: options.highWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK_BYTES,
  });
  const calls = new Map<string, CallState>();
  const pending = new Map<string, PendingRequest>();
  let unconsumedBytes = 0;
  let nextId = 1;
  let closeError: OicfError | undefined;

  const consumed = (bytes: number) => {
    unconsumedBytes -= bytes;
    if (ws.isPaused && unconsumedBytes <= receiveHwm / 2) ws.resume();
  };
  /** Forgets request `id` and settles it: with `frame`, or with `error` when given. */
  const settle = (id: string, p: PendingRequest, frame: Frame | undefined, error?: OicfError) => {
    pending.delete(id);
    if (p.timer !== undefined) clearTimeout(p.timer);
    if (p.onAbort !== undefined) p.signal?.removeEventListener('abort', p.onAbort);
    if (error !== undefined) p.reject(error);
    else p.resolve(frame as Frame);
  };
  /**
   * A request's first frame decides it, as WsCall.result does: an `error` frame rejects with the peer's
   * error, another kind than `expect` with PROTOCOL_ERROR. Either way the request is over; later frames of
   * its id go to onUnsolicited.
   */
  const answer = (p: PendingRequest, frame: Frame) => {
    if (frame.kind === 'error') settle(frame.id, p, undefined, fromErrorDetail(frame.body));
    else if (frame.kind !== p.expect)
      settle(
        frame.id,
        p,
        undefined,
        new OicfError('PROTOCOL_ERROR', `call ${frame.id} expected a ${p.expect} frame, got ${frame.kind}`),
      );
    else settle(frame.id, p, frame);
  };
  const failPending = (error: OicfError) => {
    for (const [id, p] of pending) settle(id, p, undefined, error);
  };
  /** A fresh call id (the caller's or the next of this connection); throws ALREADY_EXISTS for one still open. */
  const claimId = (callOptions: CallOptions): string => {
    const id = callOptions.id ?? `${prefix}-${nextId++}`;
    if (calls.has(id) || pending.has(id))
      throw new OicfError('ALREADY_EXISTS', `call id ${id} is already open on this connection: use a fresh id`);
    return id;
  };
  const deadlineError = (id: string, seconds: number) =>
    new OicfError('DEADLINE_EXCEEDED', `no complete response to ${id} within ${seconds} s`);
  const cancelledError = (id: string) => new OicfError('CANCELLED', `call ${id} was cancelled by the caller`);
  const finish = (id: string, state: CallState, error?: OicfError) => {
    if (error !== undefined && state.error === undefined && !state.ended) state.error = error;
    state.ended = true;
    if (state.timer !== undefined) clearTimeout(state.timer);
    calls.delete(id);
    state.wake?.();
  };

  ws.on('error', () => {}); // the 'close' that follows carries the outcome
  ws.on('message', (data: Buffer | Buffer[]) => {
    const decoded = Array.isArray(data) ? decodeFrameParts(data, maxFrameBytes) : decodeFrame(data, maxFrameBytes);
    if (!decoded.ok) {
      // The server broke the protocol: nothing on this connection can be trusted any more.
      fs.close(decoded.error);
      for (const [id, state] of calls) finish(id, state, decoded.error);
      failPending(decoded.error);
      return;
    }
    const frame = decoded.frame;
    const waiting = frame.id === CONNECTION_SCOPE_ID ? undefined : pending.get(frame.id);
    if (waiting !== undefined) {
      answer(waiting, frame);
      return;
    }
    const state = calls.get(frame.id);
    if (state === undefined || frame.id === CONNECTION_SCOPE_ID) {
      options.onUnsolicited?.(frame);
      return;
    }
    if (frame.kind === 'error') {
      finish(frame.id, state, fromErrorDetail(frame.body));
      return;
    }
    const numBytes = Array.isArray(data) ? data.reduce((sum, part) => sum + part.byteLength, 0) : data.byteLength;
    state.queue.push({ frame, bytes: numBytes });
    unconsumedBytes += numBytes;
    if (unconsumedBytes > receiveHwm && !ws.isPaused) ws.pause();
    if (isTerminalKind(frame.kind)) finish(frame.id, state);
    else state.wake?.();
  });
  ws.on('close', (code, reason) => {
    closeError =
      fromWsClose(code, reason.toString()) ??
      new OicfError('UNAVAILABLE', `connection to ${url} closed: reconnect and retry`);
    fs.fail(closeError);
    for (const [id, state] of calls) finish(id, state, closeError);
    failPending(closeError);
  });

  async function* iterate(id: string, state: CallState): AsyncIterableIterator<Frame> {
    try {
      for (;;) {
        const item = state.queue.shift();
        if (item !== undefined) {
          consumed(item.bytes);
          yield item.frame;
          continue;
        }
        if (state.error !== undefined) throw state.error;
        if (state.ended) return;
        await new Promise<void>((resolve) => {
          state.wake = resolve;
        });
        state.wake = undefined;
      }
    } finally {
      if (!state.ended) finish(id, state);
      for (const item of state.queue.splice(0)) consumed(item.bytes);
    }
  }

  function call(callOptions: CallOptions = {}): WsCall {
    const id = claimId(callOptions);
    const state: CallState = { queue: [], error: undefined, ended: false, wake: undefined, timer: undefined };
    if (closeError !== undefined) {
      state.error = closeError;
      state.ended = true;
    } else {
      calls.set(id, state);
    }
    if (callOptions.timeoutSeconds !== undefined) {
      const seconds = callOptions.timeoutSeconds;
      state.timer = setTimeout(() => finish(id, state, deadlineError(id, seconds)), seconds * 1000);
    }
    callOptions.signal?.addEventListener('abort', () => finish(id, state, cancelledError(id)), { once: true });
    const frames = iterate(id, state);
    return {
      id,
      send: (kind, body) => (state.error !== undefined ? Promise.reject(state.error) : fs.send(kind, id, body)),
      result: async <R extends FrameKind>(expect: R) => {
        const first = await frames.next();
        if (first.done === true) {
          throw new OicfError('PROTOCOL_ERROR', `call ${id} ended without a ${expect} frame`);
        }
        if (first.value.kind !== expect) {
          await frames.return?.();
          throw new OicfError('PROTOCOL_ERROR', `call ${id} expected a ${expect} frame, got ${first.value.kind}`);
        }
        return first.value as Frame<R>;
      },
      frames: () => frames,
      cancel: () => finish(id, state),
    };
  }

  return {
    url,
    call,
    request: <K extends FrameKind, R extends FrameKind>(
      kind: K,
      body: FrameBody<K>,
      expect: R,
      callOptions: CallOptions = {},
    ): Promise<Frame<R>> =>
      new Promise<Frame<R>>((resolve, reject) => {
        let id: string;
        try {
          id = claimId(callOptions);
        } catch (err) {
          reject(err);
          return;
        }
        if (closeError !== undefined) {
          reject(closeError);
          return;
        }
        const p: PendingRequest = {
          expect,
          resolve: resolve as (frame: Frame) => void,
          reject,
          timer: undefined,
          signal: callOptions.signal,
          onAbort: undefined,
        };
        pending.set(id, p);
        if (callOptions.timeoutSeconds !== undefined) {
          const seconds = callOptions.timeoutSeconds;
          p.timer = setTimeout(() => settle(id, p, undefined, deadlineError(id, seconds)), seconds * 1000);
        }
        if (p.signal !== undefined) {
          p.onAbort = () => settle(id, p, undefined, cancelledError(id));
          if (p.signal.aborted) return p.onAbort();
          p.signal.addEventListener('abort', p.onAbort, { once: true });
        }
        // A refused send (a bad body, a closed socket) ends the request; an answer may already have settled it.
        const failed = (err: unknown) => {
          if (pending.get(id) === p) settle(id, p, undefined, toOicfError(err));
        };
        try {
          fs.send(kind, id, body).catch(failed);
        } catch (err) {
          failed(err);
        }
      }),
    stream: (kind, body, callOptions) => {
      const c = call(callOptions);
      const sent = c.send(kind, body);
      const frames = c.frames();
      return (async function* () {
        await sent;
        yield* frames;
      })();
    },
    receivedUnconsumedBytes: () => unconsumedBytes,
    numOpenCalls: () => calls.size + pending.size,
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        fs.close();
        setTimeout(() => ws.terminate(), 2000).unref();
      }),
  };
}
