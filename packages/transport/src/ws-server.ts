// WebSocket data-plane server: decodes frames, hands each to a handler with a connection to answer on,
// maps failures to error frames and closes. Binds 127.0.0.1:0 unless told otherwise.
//
// Per frame: a bad body → `error` frame for that request, connection kept; a protocol violation
// (oversize, not an envelope, wrong version, unknown kind) → `error` frame (when one can still be sent)
// and close with the mapped code. A handler that throws → `error` frame for its request. Other
// connections never notice.
//
// Hot frames: a client whose upgrade request carries `x-oicf-hot-frames: 1` (the router's request-plane
// channel) gets the same header back in the 101 response, and this connection then sends `decode.step`
// (and `decode`) in the binary layout of hot-frames.ts; any other client (an older router, a tool) gets
// msgpack only. Received frames are read in either form.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { type CallerIdentity, checkMemberHeaders } from './auth/process-auth.js';
import { toHttpError } from './error-convert.js';
import { DEFAULT_MAX_FRAME_BYTES } from './frame-codec.js';
import type { Frame, FrameBody, FrameKind } from './frame-kinds.js';
import { decodeFrameParts } from './frame-parts.js';
import { CONNECTION_SCOPE_ID, DEFAULT_HIGH_WATER_MARK_BYTES, FrameSocket } from './frame-socket.js';
import { HOT_FRAMES_HEADER, HOT_FRAMES_VERSION, offersHotFrames } from './hot-frames.js';
import { OicfError, toOicfError } from './oicf-error.js';

/** The server side of one client connection, as seen by a frame handler. */
export interface WsConnection {
  /** Process-unique connection number, for logs. */
  readonly connectionId: number;
  readonly remoteAddress: string;
  /** The cluster member that opened it (undefined when auth is off or the port is public). */
  readonly caller: CallerIdentity | undefined;
  /** Aborted when the connection closes; long handlers should stop then. */
  readonly signal: AbortSignal;
  /**
   * Sends a frame for request `id`; await it: it waits while the client reads slower than we write.
   * A bytes field of ≥ 16 KiB is sent from the caller's buffer, not a copy: leave it unmodified (it may
   * still be queued after the promise resolves).
   */
  send<K extends FrameKind>(kind: K, id: string, body: FrameBody<K>): Promise<void>;
  /**
   * Sends a frame for request `id` at once, with no promise: for small frames whose volume the caller
   * bounds (request-plane replies and step frames). Returns false above the high-water mark; throws
   * UNAVAILABLE when the connection is closed (see FrameSocket.post).
   */
  post<K extends FrameKind>(kind: K, id: string, body: FrameBody<K>): boolean;
  /** Sends an `error` frame for request `id`. */
  sendError(id: string, error: unknown): Promise<void>;
  /** Closes the connection, with the close code mapped from `error` when given. */
  close(error?: unknown): void;
  /** Outgoing bytes queued and not yet handed to the kernel. */
  bufferedBytes(): number;
  /**
   * Counts `work` as in flight until it settles, for draining (waitIdle), without holding one of this
   * connection's handler slots: a handler that starts a long request (a decode stream of the request plane)
   * returns at once, so later frames (a cancel) are never queued behind it. Rejections are ignored here.
   */
  track(work: Promise<unknown>): void;
}

/**
 * Handles one decoded frame. A throw or rejection becomes an `error` frame for `frame.id`. Handlers start in
 * arrival order, but are not serialised: once one awaits, the next frame's handler may start. Work that must
 * follow frame order (e.g. appending handoff blocks) should happen before the first await.
 */
export type FrameHandler = (frame: Frame, connection: WsConnection) => void | Promise<void>;

export interface WsServerOptions {
  host?: string;
  port?: number;
  /** Largest frame accepted; larger ones close the connection with 1009 (FRAME_TOO_LARGE). */
  maxFrameBytes?: number;
  /** Outgoing bytes buffered per connection before `send` waits. */
  highWaterMarkBytes?: number;
  /**
   * Most handlers running at once per connection (default 64). Further frames wait in arrival order, and
   * the server stops reading that connection until handlers finish, so a client cannot pile up frames
   * faster than they complete (beyond what one socket read already holds).
   */
  maxInFlightPerConnection?: number;
  /**
   * Who may open a connection, decided on the upgrade request before any frame: default, cluster members
   * only (a member token in the `Authorization` header, checked against this process's credentials; auth off
   * when none are installed). A function instead decides itself (the router's public front door checks API
   * keys); an OicfError answers the upgrade with its HTTP status (401 for UNAUTHENTICATED).
   */
  authorize?: (req: IncomingMessage) => { ok: true; caller?: CallerIdentity } | { ok: false; error: OicfError };
  /** Most open connections at once (default 1024); beyond it the upgrade is answered 503. */
  maxConnections?: number;
  onFrame: FrameHandler;
  /** Called for every failure of a connection (bad frames, handler errors), for logs and metrics. */
  onError?: (error: OicfError, connection: WsConnection) => void;
}

export interface WsServer {
  readonly port: number;
  /** `ws://host:port` to hand to clients. */
  readonly url: string;
  numConnections(): number;
  /** Frames received whose handler has not finished yet (queued ones included). */
  numInFlight(): number;
  /** Refuses new connections; open ones keep working. */
  stopAccepting(): Promise<void>;
  /** Resolves true once no handler runs, or false after `timeoutSeconds`. */
  waitIdle(timeoutSeconds: number): Promise<boolean>;
  /** Closes every connection (1001 going away, or `error`'s mapped code) and the listener. */
  close(error?: unknown): Promise<void>;
}

let nextConnectionId = 1;

export async function startWsServer(options: WsServerOptions): Promise<WsServer> {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const highWaterMarkBytes = options.highWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK_BYTES;
  const maxInFlightPerConnection = options.maxInFlightPerConnection ?? 64;
  const host = options.host ?? '127.0.0.1';
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false });
  // The 101 response says this end reads the binary hot frames, to a client that said it does (see the top).
  wss.on('headers', (headers: string[], req: IncomingMessage) => {
    if (offersHotFrames(req.headers)) headers.push(`${HOT_FRAMES_HEADER}: ${HOT_FRAMES_VERSION}`);
  });
  const sockets = new Set<FrameSocket>();
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];
  const settle = () => {
    inFlight -= 1;
    if (inFlight === 0) for (const w of idleWaiters.splice(0)) w();
  };

  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' }).end('this port speaks WebSocket only\n');
  });
  const authorize =
    options.authorize ?? ((req: IncomingMessage) => checkMemberHeaders(req.headers, 'this WebSocket port'));
  const maxConnections = options.maxConnections ?? 1024;
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const auth =
      sockets.size >= maxConnections
        ? {
            ok: false as const,
            error: new OicfError(
              'UNAVAILABLE',
              `this WebSocket port holds its limit of ${maxConnections} connections: retry later`,
            ),
          }
        : authorize(req);
    if (!auth.ok) {
      refuseUpgrade(socket, auth.error);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req, auth.caller));
  });

  function accept(ws: WebSocket, req: IncomingMessage, caller: CallerIdentity | undefined): void {
    // Binary messages arrive as their fragments, so a payload sent as its own fragment is never
    // copied into a joined buffer (see frame-parts.ts).
    ws.binaryType = 'fragments';
    const fs = new FrameSocket(ws, { maxFrameBytes, highWaterMarkBytes, hotFrames: offersHotFrames(req.headers) });
    const abort = new AbortController();
    const connection: WsConnection = {
      connectionId: nextConnectionId++,
      remoteAddress: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
      caller,
      signal: abort.signal,
      send: (kind, id, body) => fs.send(kind, id, body),
      post: (kind, id, body) => fs.post(kind, id, body),
      sendError: (id, error) => fs.sendError(id, error),
      close: (error) => fs.close(error),
      bufferedBytes: () => fs.bufferedBytes,
      track: (work) => {
        inFlight += 1;
        work.then(settle, settle);
      },
    };
    const report = (error: OicfError) => options.onError?.(error, connection);
    let connectionInFlight = 0;
    const waiting: Frame[] = [];
    const pump = () => {
      while (connectionInFlight < maxInFlightPerConnection && waiting.length > 0) run(waiting.shift() as Frame);
      if (ws.isPaused && connectionInFlight + waiting.length <= maxInFlightPerConnection / 2) ws.resume();
    };
    const done = () => {
      connectionInFlight -= 1;
      settle();
      pump();
    };
    /** Answers a failed handler with an `error` frame for its request, then ends the frame (done). */
    const failed = (frame: Frame, err: unknown) => {
      const error = toOicfError(err);
      report(error);
      if (!fs.isOpen) return done();
      let sent: Promise<void>;
      try {
        sent = fs.sendError(frame.id, error);
      } catch {
        return done(); // the error detail could not be encoded (never expected): the frame is over all the same
      }
      sent.then(done, done);
    };
    // One promise reaction per frame whose handler returned a promise; none for one that finished synchronously
    // (run is called from pump's loop, which goes on to the next frame itself).
    const run = (frame: Frame) => {
      connectionInFlight += 1;
      let result: void | Promise<void>;
      try {
        result = options.onFrame(frame, connection);
      } catch (err) {
        queueMicrotask(() => failed(frame, err));
        return;
      }
      if (result === undefined) {
        connectionInFlight -= 1;
        settle();
      } else Promise.resolve(result).then(done, (err: unknown) => failed(frame, err));
    };
    sockets.add(fs);
    ws.on('error', (err) => report(toOicfError(err)));
    ws.on('close', (code, reason) => {
      sockets.delete(fs);
      for (const _dropped of waiting.splice(0)) settle(); // nobody is left to answer them
      fs.fail(
        new OicfError('UNAVAILABLE', `connection closed (code ${code}${reason.length > 0 ? `: ${reason}` : ''})`),
      );
      abort.abort();
    });
    ws.on('message', (data: Buffer | Buffer[], isBinary: boolean) => {
      if (!isBinary || !Array.isArray(data)) {
        const error = new OicfError('PROTOCOL_ERROR', 'text message received: send binary msgpack frames');
        report(error);
        fs.sendError(CONNECTION_SCOPE_ID, error).catch(() => {});
        fs.close(error);
        return;
      }
      const decoded = decodeFrameParts(data, maxFrameBytes);
      if (!decoded.ok) {
        report(decoded.error);
        fs.sendError(decoded.id ?? CONNECTION_SCOPE_ID, decoded.error).catch(() => {});
        if (decoded.fatal) fs.close(decoded.error);
        return;
      }
      inFlight += 1; // counted from arrival, so a drain also waits for frames not yet started
      waiting.push(decoded.frame);
      if (connectionInFlight + waiting.length > maxInFlightPerConnection && !ws.isPaused) ws.pause();
      pump();
    });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  // Resolves when the listener and every socket it accepted (upgraded ones included) are closed.
  let httpClosed: Promise<void> | undefined;
  const stopAccepting = async () => {
    // close() stops listening at once; its callback waits for open sockets, which close() below ends.
    httpClosed ??= new Promise<void>((resolve) => http.close(() => resolve()));
  };

  return {
    port,
    url: `ws://${host}:${port}`,
    numConnections: () => sockets.size,
    numInFlight: () => inFlight,
    stopAccepting,
    waitIdle: (timeoutSeconds) =>
      new Promise<boolean>((resolve) => {
        if (inFlight === 0) return resolve(true);
        const timer = setTimeout(() => {
          idleWaiters = idleWaiters.filter((w) => w !== done);
          resolve(false);
        }, timeoutSeconds * 1000);
        const done = () => {
          clearTimeout(timer);
          resolve(true);
        };
        idleWaiters.push(done);
      }),
    close: async (error) => {
      const closing = [...sockets].map(
        (fs) =>
          new Promise<void>((resolve) => {
            if (fs.ws.readyState === fs.ws.CLOSED) return resolve();
            fs.ws.once('close', () => resolve());
            fs.close(error ?? new OicfError('UNAVAILABLE', 'server shutting down: reconnect to another instance'));
            // A peer that never answers the close handshake is cut off after a grace period.
            setTimeout(() => fs.ws.terminate(), 2000).unref();
          }),
      );
      await stopAccepting();
      await Promise.all(closing);
      await httpClosed;
      wss.close();
    },
  };
}

/** Answers a refused upgrade with the error's HTTP status and JSON body, then closes the socket. */
function refuseUpgrade(socket: Duplex, error: OicfError): void {
  const { status, body } = toHttpError(error);
  const json = JSON.stringify(body);
  const reason = status === 401 ? 'Unauthorized' : status === 503 ? 'Service Unavailable' : 'Refused';
  const authenticate = status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n${authenticate}Connection: close\r\n\r\n${json}`,
  );
}
