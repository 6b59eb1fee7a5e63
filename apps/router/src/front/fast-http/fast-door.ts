// The fast front door (issue 11): POST /v1/completions and /v1/chat/completions served on the raw
// connections of the router's HTTP port, without node:http's per-request IncomingMessage, ServerResponse,
// streams and events. It sits in front of the node:http server: every new connection starts here, and the
// first request it does not take (another route or method, HTTP/1.0, chunked bodies, Expect, Upgrade,
// oversized heads or bodies, malformed input, a draining service, a refused API key or client limit) hands
// the connection, with the bytes already read, to node:http for the rest of its life: every other
// behaviour stays node:http's own. Replies are the same bytes either way (socket-reply.ts).
//
// Timeouts as node:http's defaults: an idle kept-alive connection is closed after the server's
// keepAliveTimeout (5 s); a request still incomplete after its headersTimeout (60 s) gets 408 and a close.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Parsed } from '../../core/generate-input.js';
import { parseJson } from '../http-body.js';
import type { GenerateReply } from '../http-generate.js';
import { type ConnectionDoor, FastConnection } from './fast-connection.js';
import type { RequestHead } from './request-head.js';
import type { SocketReply } from './socket-reply.js';

export interface FastDoorOptions {
  /** Request path → its reply (the same handlers node:http's routes run). */
  readonly routes: ReadonlyMap<string, GenerateReply>;
  readonly maxBodyBytes: number;
  /** Seconds now (the request's arrival). */
  readonly nowSeconds: () => number;
  /** False while the service drains: node:http then answers (503). */
  readonly serving: () => boolean;
  /**
   * Admits a request by its Authorization value and client address: a release to call when its reply
   * closes, or undefined to leave it to node:http (which answers 401 or 429 client-limit).
   */
  readonly admit: (authorization: string | undefined, remoteAddress: string) => (() => void) | undefined;
}

const REQUEST_TIMEOUT_REPLY = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

export class FastDoor implements ConnectionDoor {
  readonly paths: ReadonlySet<string>;
  readonly maxBodyBytes: number;
  private readonly connections = new Set<FastConnection>();
  private readonly sweep: NodeJS.Timeout;
  /** Connections handed to node:http, for tests. */
  handedOff = 0;

  private constructor(
    private readonly server: Server,
    private readonly nodeListeners: ReadonlyArray<(socket: Socket) => void>,
    private readonly options: FastDoorOptions,
  ) {
    this.paths = new Set(options.routes.keys());
    this.maxBodyBytes = options.maxBodyBytes;
    this.sweep = setInterval(() => this.timeouts(Date.now()), 1000);
    this.sweep.unref();
  }

  /** Puts the door in front of `server`'s connections (those accepted from now on). */
  static install(server: Server, options: FastDoorOptions): FastDoor {
    const nodeListeners = server.listeners('connection') as Array<(socket: Socket) => void>;
    const door = new FastDoor(server, nodeListeners, options);
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => door.connections.add(new FastConnection(socket, door)));
    return door;
  }

  /** The `Keep-Alive: timeout=N` node:http announces (its keepAliveTimeout, whole seconds). */
  get keepAliveSeconds(): number {
    return Math.floor(this.server.keepAliveTimeout / 1000);
  }

  /** Connections the door serves now. */
  get size(): number {
    return this.connections.size;
  }

  start(head: RequestHead, body: Buffer, reply: SocketReply, remoteAddress: string): boolean {
    const route = this.options.routes.get(head.path);
    if (route === undefined || !this.options.serving()) return false;
    const arrivalSeconds = this.options.nowSeconds();
    const release = this.options.admit(head.authorization, remoteAddress);
    if (release === undefined) return false;
    reply.once('close', release);
    const parsed: Parsed<unknown> = parseJson(body);
    void route(parsed, head.sessionId, reply, arrivalSeconds);
    return true;
  }

  handOff(socket: Socket, unread: Buffer | undefined): void {
    this.handedOff++;
    // Paused so the put-back bytes reach node:http's parser before anything read later.
    socket.pause();
    if (unread !== undefined) socket.unshift(unread);
    for (const listener of this.nodeListeners) listener.call(this.server, socket);
    socket.resume();
  }

  closed(conn: FastConnection): void {
    this.connections.delete(conn);
  }

  /** Waits (at most `timeoutSeconds`) for running replies, then closes every connection of the door. */
  async close(timeoutSeconds: number): Promise<void> {
    clearInterval(this.sweep);
    const deadline = Date.now() + timeoutSeconds * 1000;
    while ([...this.connections].some((c) => c.busy) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    for (const c of [...this.connections]) c.destroy();
  }

  private timeouts(nowMs: number): void {
    const idleMs = this.server.keepAliveTimeout;
    const headersMs = this.server.headersTimeout;
    for (const c of this.connections) {
      if (c.idle) {
        if (idleMs > 0 && nowMs - c.lastActiveMs > idleMs) c.destroy();
      } else if (!c.busy && headersMs > 0 && c.partialSinceMs > 0 && nowMs - c.partialSinceMs > headersMs) {
        c.socket.end(REQUEST_TIMEOUT_REPLY, () => c.destroy());
      }
    }
  }
}
