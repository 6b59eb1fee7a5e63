// The API-key check and per-client limit (api-auth.ts) on the WebSocket and gRPC front doors.
import type { IncomingMessage } from 'node:http';
import type { CallContext, CallerIdentity, FrameHandler, OicfError } from '@oicf/transport';
import type { ApiAuth } from './api-auth.js';

/** The router WS port's upgrade check: an API key when keys are set; the client is named by its key or address. */
export function wsApiAuthorize(auth: ApiAuth) {
  return (req: IncomingMessage): { ok: true; caller?: CallerIdentity } | { ok: false; error: OicfError } => {
    const refused = auth.check(req.headers.authorization);
    if (refused !== undefined) return { ok: false, error: refused };
    // The connection's client for the per-client limit: its Authorization value (or nothing: its address).
    return { ok: true, caller: { memberId: req.headers.authorization ?? '', identityVerified: false } };
  };
}

/** Each `generate` frame takes a per-client slot until its handler ends (429 client-limit beyond). */
export function wsClientLimit(auth: ApiAuth, handler: FrameHandler): FrameHandler {
  return async (frame, conn) => {
    const address = conn.remoteAddress.slice(0, conn.remoteAddress.lastIndexOf(':'));
    const release = auth.acquire(conn.caller?.memberId || undefined, address);
    if (release === undefined) throw auth.clientLimitError();
    try {
      await handler(frame, conn);
    } finally {
      release();
    }
  };
}

/** Router.Generate's key check and per-client slot, around the handler. */
export function grpcApiGuard<A extends unknown[]>(
  auth: ApiAuth,
  impl: (...args: A) => Promise<void>,
  contextOf: (...args: A) => CallContext,
) {
  return async (...args: A): Promise<void> => {
    const ctx = contextOf(...args);
    const header = ctx.metadata.get('authorization')[0];
    const authorization = typeof header === 'string' ? header : undefined;
    const refused = auth.check(authorization);
    if (refused !== undefined) throw refused;
    const release = auth.acquire(authorization, ctx.peer.slice(0, ctx.peer.lastIndexOf(':')));
    if (release === undefined) throw auth.clientLimitError();
    try {
      await impl(...args);
    } finally {
      release();
    }
  };
}
