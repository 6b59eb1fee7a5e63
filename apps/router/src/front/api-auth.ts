// The public API's authentication and per-client limit (docs/reliability.md), applied the same way on the
// three front doors:
//   HTTP    every route under /v1/ (vLLM's --api-key rule); /healthz, /readyz, /metrics stay open
//   WS      the upgrade of the router's WebSocket port (Authorization header)
//   gRPC    Router.Generate (metadata `authorization`); the Registry on the same port takes cluster members
// With keys configured a request needs `Authorization: Bearer <key>` (401 invalid_api_key otherwise). With
// none the API is open, which is the default on loopback; on another host the router warns loudly at start
// (or refuses to start with api.requireKeys), and the admin routes (/v1/oicf/*, which list internal
// addresses) refuse everyone until keys are set.
//
// Per-client limit: with maxInFlightPerClient > 0, a client (its API key, else its address) with that many
// requests running gets 429 `client-limit`: the one refusal aimed at a client rather than at an overloaded
// cluster (503).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, type HttpRoute, OicfError } from '@oicf/transport';
import type { ApiIssue } from '../core/generate-input.js';
import { sendIssue } from './api-errors.js';

export interface ApiAuthConfig {
  readonly keys: readonly string[];
  /** Requests running at once per client (0 = no limit). */
  readonly maxInFlightPerClient: number;
  /** False on a non-loopback host without keys: admin routes refuse everyone. */
  readonly adminOpenWithoutKeys: boolean;
}

const digest = (key: string) => createHash('sha256').update(key).digest();

export class ApiAuth {
  private readonly digests: readonly Buffer[];
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly config: ApiAuthConfig) {
    this.digests = config.keys.map(digest);
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** The client a request counts against: its key's digest prefix, or its address when keys are off. */
  private clientOf(authorization: string | undefined, address: string): string {
    const token = bearerToken(authorization);
    return this.enabled && token !== undefined
      ? `key:${digest(token).toString('hex').slice(0, 16)}`
      : `addr:${address}`;
  }

  /** Checks an Authorization value; undefined when allowed, else the error to answer. */
  check(authorization: string | undefined, admin = false): OicfError | undefined {
    if (!this.enabled) {
      if (admin && !this.config.adminOpenWithoutKeys) {
        return new OicfError(
          'UNAUTHENTICATED',
          'the admin routes list internal addresses: set api.keys to use them on a non-loopback host',
        );
      }
      return undefined;
    }
    const token = bearerToken(authorization);
    if (token !== undefined) {
      const d = digest(token);
      // Constant time per key; every key is compared, whichever matches.
      let ok = false;
      for (const k of this.digests) ok = timingSafeEqual(k, d) || ok;
      if (ok) return undefined;
    }
    return new OicfError(
      'UNAUTHENTICATED',
      token === undefined
        ? 'this API needs an API key: send "Authorization: Bearer <key>"'
        : 'incorrect API key provided',
    );
  }

  /**
   * Takes one in-flight slot for the client; returns its release, or undefined when the client is at its
   * limit (→ 429 client-limit). The map holds only clients with requests running.
   */
  acquire(authorization: string | undefined, address: string): (() => void) | undefined {
    const limit = this.config.maxInFlightPerClient;
    if (limit <= 0) return () => {};
    const client = this.clientOf(authorization, address);
    const n = this.inFlight.get(client) ?? 0;
    if (n >= limit) return undefined;
    this.inFlight.set(client, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(client) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(client);
      else this.inFlight.set(client, left);
    };
  }

  clientLimitError(): OicfError {
    return new OicfError(
      'RESOURCE_EXHAUSTED',
      `this client already has ${this.config.maxInFlightPerClient} requests running (api.maxInFlightPerClient): wait for one to finish`,
      { retryAfterSeconds: 1 },
    );
  }

  /** Clients with requests running now (for tests and metrics). */
  numClients(): number {
    return this.inFlight.size;
  }
}

function unauthorized(res: ServerResponse, error: OicfError): void {
  const issue: ApiIssue = {
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    param: null,
    message: error.message,
  };
  sendIssue(res, issue, { 'www-authenticate': 'Bearer' });
}

const ADMIN_PREFIX = '/v1/oicf/';
const GENERATE_PATHS = new Set(['/v1/completions', '/v1/chat/completions']);

/** Wraps HTTP routes: /v1/ needs a key when keys are set; generation routes take a per-client slot. */
export function guardRoute(auth: ApiAuth, path: string, route: HttpRoute): HttpRoute {
  if (!path.startsWith('/v1/')) return route;
  const admin = path.startsWith(ADMIN_PREFIX);
  const generates = GENERATE_PATHS.has(path);
  return (req, res, url) => {
    const refused = auth.check(req.headers.authorization, admin);
    if (refused !== undefined) return unauthorized(res, refused);
    if (!generates) return route(req, res, url);
    const release = auth.acquire(req.headers.authorization, req.socket.remoteAddress ?? '');
    if (release === undefined) {
      const e = auth.clientLimitError();
      const issue: ApiIssue = {
        status: 429,
        type: 'rate_limit_exceeded',
        code: 'client-limit',
        param: null,
        message: e.message,
      };
      return sendIssue(res, issue, { 'retry-after': '1' });
    }
    res.once('close', release);
    return route(req, res, url);
  };
}

/** Every route of `routes` guarded by `guardRoute` (keys `"METHOD /path"`). */
export function guardRoutes(auth: ApiAuth, routes: Record<string, HttpRoute>): Record<string, HttpRoute> {
  return Object.fromEntries(
    Object.entries(routes).map(([key, route]) => [key, guardRoute(auth, key.slice(key.indexOf(' ') + 1), route)]),
  );
}

/** The fallback (pattern routes, 404, 405) guarded like the exact routes. */
export function guardFallback(
  auth: ApiAuth,
  fallback: (req: IncomingMessage, res: ServerResponse, url: URL, allowed: readonly string[]) => void | Promise<void>,
) {
  return (req: IncomingMessage, res: ServerResponse, url: URL, allowed: readonly string[]) => {
    if (url.pathname.startsWith('/v1/')) {
      const refused = auth.check(req.headers.authorization, url.pathname.startsWith(ADMIN_PREFIX));
      if (refused !== undefined) return unauthorized(res, refused);
    }
    return fallback(req, res, url, allowed);
  };
}
