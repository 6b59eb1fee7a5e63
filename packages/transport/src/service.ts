// Service lifecycle: one HTTP server (/metrics, /healthz, /readyz and the app's routes), an optional gRPC
// server and an optional WebSocket data plane, all started together, reported as one endpoints object, and
// shut down gracefully on SIGTERM/SIGINT:
//
//   starting ──start()──▶ serving ──SIGTERM/shutdown()──▶ draining ──in-flight done or timeout──▶ stopped
//   /readyz:  503          200                             503                                   (closed)
//   /healthz: 200 from the moment the HTTP port listens until it closes.
//
// Draining: readiness drops first; after `drainDelaySeconds` (time for load balancers to notice) gRPC
// refuses new calls and the WebSocket server new connections, while running calls, frame handlers and
// HTTP requests finish, up to `drainTimeoutSeconds`; then whatever remains is cut, WebSocket clients get
// close 1001 (UNAVAILABLE), `onShutdown` runs and the listeners close. The process then has no handles
// left from this service and exits by itself.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toHttpError } from './error-convert.js';
import { type GrpcServer, type GrpcServerOptions, startGrpcServer } from './grpc-server.js';
import { OicfError } from './oicf-error.js';
import { startWsServer, type WsServer, type WsServerOptions } from './ws-server.js';

/** Anything that renders Prometheus text; a prom-client Registry fits. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** Handles one HTTP request. A throw becomes a JSON error body with the mapped status. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface ServiceOptions {
  /** Service name, in logs and the endpoints line (e.g. "kv-pool"). */
  name: string;
  host?: string;
  httpPort?: number;
  grpc?: Omit<GrpcServerOptions, 'host'>;
  ws?: Omit<WsServerOptions, 'host'>;
  /** App routes keyed `"METHOD /path"` (e.g. `"POST /v1/completions"`); exact path match. */
  routes?: Record<string, HttpRoute>;
  /**
   * Answers what no exact route matches: pattern routes (`GET /v1/models/{id}`) and the app's own 404 and
   * 405 bodies. `allowed` lists the methods the path takes ([] = unknown path). Default: the transport's
   * 404 (NOT_FOUND) and 405 with an Allow header.
   */
  fallback?: (req: IncomingMessage, res: ServerResponse, url: URL, allowed: readonly string[]) => void | Promise<void>;
  metrics?: MetricsSource;
  /** Extra readiness condition (e.g. "registered with the router"); /readyz is 503 while it is false. */
  isReady?: () => boolean;
  /** Seconds between dropping readiness and refusing new work. Default 0. */
  drainDelaySeconds?: number;
  /** Most seconds to wait for in-flight work before cutting it. Default 10. */
  drainTimeoutSeconds?: number;
  /** Install SIGTERM/SIGINT handlers that call shutdown(). Default true. */
  handleSignals?: boolean;
  /** Runs after draining, before the listeners close (flush stores, deregister). */
  onShutdown?: () => void | Promise<void>;
  /** Where the one-line JSON endpoints record and shutdown notes go. Default: stdout. */
  log?: (line: string) => void;
}

export interface Endpoints {
  /** `http://host:port` (metrics, health, app routes). */
  http: string;
  /** `host:port` for gRPC clients. */
  grpc?: string;
  /** `ws://host:port` for the data plane. */
  ws?: string;
  ports: { http: number; grpc?: number; ws?: number };
}

export type ServiceState = 'starting' | 'serving' | 'draining' | 'stopped';

export interface RunningService {
  readonly name: string;
  readonly endpoints: Endpoints;
  readonly grpcServer: GrpcServer | undefined;
  readonly wsServer: WsServer | undefined;
  /** The HTTP server (tests watch its responses). */
  readonly httpServer: Server;
  state(): ServiceState;
  /** Drains and stops (idempotent); resolves when everything is closed. */
  shutdown(reason?: string): Promise<void>;
  /** Resolves once the service has stopped, whoever stopped it. */
  readonly stopped: Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  let state: ServiceState = 'starting';
  let httpInFlight = 0;
  const ready = () => state === 'serving' && (options.isReady?.() ?? true);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    if (key === 'GET /healthz') return sendJson(res, 200, { status: 'alive', service: options.name });
    if (key === 'GET /readyz') {
      return sendJson(res, ready() ? 200 : 503, { status: ready() ? 'ready' : state, service: options.name });
    }
    if (key === 'GET /metrics' && options.metrics !== undefined) {
      const text = await options.metrics.metrics();
      res.writeHead(200, { 'content-type': options.metrics.contentType }).end(text);
      return;
    }
    const route = options.routes?.[key];
    if (route === undefined) {
      // A known path with another method is 405 with the methods it takes (RFC 9110 §15.5.6).
      const builtIn = ['GET /healthz', 'GET /readyz', ...(options.metrics === undefined ? [] : ['GET /metrics'])];
      const allowed = [...builtIn, ...Object.keys(options.routes ?? {})]
        .filter((k) => k.slice(k.indexOf(' ') + 1) === url.pathname)
        .map((k) => k.slice(0, k.indexOf(' ')));
      if (options.fallback !== undefined) return options.fallback(req, res, url, allowed);
      if (allowed.length === 0) throw new OicfError('NOT_FOUND', `no route ${key}`);
      const message = `method ${req.method} not allowed on ${url.pathname}: use ${allowed.join(' or ')}`;
      res
        .writeHead(405, { 'content-type': 'application/json', allow: allowed.join(', ') })
        .end(`${JSON.stringify({ error: { code: 'INVALID_ARGUMENT', message, field: null } })}\n`);
      return;
    }
    if (state !== 'serving')
      throw new OicfError('UNAVAILABLE', `${options.name} is ${state}: send the request to another instance`);
    await route(req, res, url);
  };

  const http: Server = createServer((req, res) => {
    httpInFlight += 1;
    res.once('close', () => {
      httpInFlight -= 1;
    });
    handle(req, res).catch((err: unknown) => {
      const { status, body } = toHttpError(err);
      if (!res.headersSent) sendJson(res, status, body);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.httpPort ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const httpPort = (http.address() as AddressInfo).port;

  let grpcServer: GrpcServer | undefined;
  let wsServer: WsServer | undefined;
  try {
    if (options.grpc !== undefined) grpcServer = await startGrpcServer({ ...options.grpc, host });
    if (options.ws !== undefined) wsServer = await startWsServer({ ...options.ws, host });
  } catch (err) {
    await grpcServer?.shutdown(0);
    await wsServer?.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    throw err;
  }

  const endpoints: Endpoints = {
    http: `http://${host}:${httpPort}`,
    ports: { http: httpPort },
  };
  if (grpcServer !== undefined) {
    endpoints.grpc = grpcServer.address;
    endpoints.ports.grpc = grpcServer.port;
  }
  if (wsServer !== undefined) {
    endpoints.ws = wsServer.url;
    endpoints.ports.ws = wsServer.port;
  }

  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let shutdownPromise: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    void shutdown(signal);
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  async function drainHttp(deadlineMs: number): Promise<boolean> {
    // The request asking for this shutdown (if any) is still open; health probes are short.
    while (httpInFlight > 0 && Date.now() < deadlineMs) await new Promise((r) => setTimeout(r, 20));
    return httpInFlight === 0;
  }

  function shutdown(reason = 'shutdown requested'): Promise<void> {
    shutdownPromise ??= (async () => {
      state = 'draining';
      log(JSON.stringify({ event: 'draining', service: options.name, reason }));
      const delaySeconds = options.drainDelaySeconds ?? 0;
      if (delaySeconds > 0) await new Promise((r) => setTimeout(r, delaySeconds * 1000));
      const timeoutSeconds = options.drainTimeoutSeconds ?? 10;
      const deadlineMs = Date.now() + timeoutSeconds * 1000;
      await wsServer?.stopAccepting();
      const results = await Promise.all([
        grpcServer?.shutdown(timeoutSeconds) ?? true,
        wsServer?.waitIdle(timeoutSeconds) ?? true,
        drainHttp(deadlineMs),
      ]);
      await wsServer?.close();
      try {
        await options.onShutdown?.();
      } finally {
        if (handleSignals) {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
        }
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
        state = 'stopped';
        log(JSON.stringify({ event: 'stopped', service: options.name, drained: results.every(Boolean) }));
        resolveStopped();
      }
    })();
    return shutdownPromise;
  }

  state = 'serving';
  log(JSON.stringify({ event: 'listening', service: options.name, endpoints }));
  return {
    name: options.name,
    endpoints,
    grpcServer,
    wsServer,
    httpServer: http,
    state: () => state,
    shutdown,
    stopped,
  };
}
