// The opening handshake of a request-plane connection (RFC 6455 §4.1) as node:http's client upgrade: the
// request carries the caller's headers (the cluster member token), a fresh key and version 13, and offers
// no extension; the answer must be 101 with the key's accept value and no extension. Anything else is a
// HandshakeError: a refusal with its HTTP status (401 without a valid member token, 503 at the worker's
// connection limit), or status 0 for a connection that failed, timed out or answered wrongly.
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

/** RFC 6455 §1.3: the GUID the server appends to the key in its accept header. */
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Why the handshake failed: the HTTP status of a refusal (0 when the server never answered). */
export class HandshakeError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

/** Upgrades a connection to `url` (ws://host:port/path); resolves with its socket and any bytes read past the head. */
export function upgrade(
  url: string,
  headers: Record<string, string>,
  connectTimeoutSeconds: number,
): Promise<{ socket: Socket; head: Buffer }> {
  const target = new URL(url);
  if (target.protocol !== 'ws:') return Promise.reject(new HandshakeError(`not a ws:// address: ${url}`, 0));
  const key = randomBytes(16).toString('base64');
  const expected = createHash('sha1').update(`${key}${WS_GUID}`).digest('base64');
  return new Promise((resolve, reject) => {
    const req = request({
      host: target.hostname,
      port: target.port === '' ? 80 : Number(target.port),
      path: `${target.pathname}${target.search}`,
      headers: {
        ...headers,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': key,
        'Sec-WebSocket-Version': '13',
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new HandshakeError(`no connection within ${connectTimeoutSeconds} s`, 0));
    }, connectTimeoutSeconds * 1000);
    req.once('error', (err) => {
      clearTimeout(timer);
      reject(new HandshakeError(err.message, 0));
    });
    req.once('response', (res) => {
      clearTimeout(timer);
      res.resume();
      req.destroy();
      reject(new HandshakeError(`the server refused the handshake (HTTP ${res.statusCode})`, res.statusCode ?? 0));
    });
    req.once('upgrade', (res, socket: Socket, head: Buffer) => {
      clearTimeout(timer);
      const problem =
        res.headers['sec-websocket-accept'] !== expected
          ? 'a wrong Sec-WebSocket-Accept'
          : res.headers['sec-websocket-extensions'] !== undefined
            ? 'an extension it was not offered'
            : undefined;
      if (problem !== undefined) {
        socket.destroy();
        reject(new HandshakeError(`the server answered the handshake with ${problem}`, 0));
        return;
      }
      socket.setNoDelay(true);
      resolve({ socket, head });
    });
    req.end();
  });
}
