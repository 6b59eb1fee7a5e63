// Same-host request channels over a Unix domain socket (issue 11). A WebSocket server bound to 127.0.0.1
// (every worker of a one-host cluster, the bench's scripted worker) also listens on a Unix socket whose
// path is derived from its TCP port; a request-plane channel to a ws://127.0.0.1:PORT address connects
// through that socket when it exists, and over TCP otherwise. The WebSocket, its handshake (cluster auth,
// hot-frame negotiation) and every frame are the same either way: only the kernel path under them changes.
// A loopback TCP send runs the whole TCP/IP stack twice (out and back in, in the sender's system call); a
// Unix socket send copies the bytes to the peer's queue and wakes it. vLLM's engine-core client makes the
// same choice (ZMQ ipc:// on one host, tcp:// across hosts).
//
//   ws://127.0.0.1:41234/path  ──▶  <tmpdir>/oicf-ws-127.0.0.1-41234.sock  ──▶  ws+unix://<that>:/path
//
// The path is a pure function of the port, so the server owns it for as long as it holds the port: it
// removes a leftover file of that name (a crashed predecessor's) before listening, and Node removes the file
// when the listener closes. A client that finds no file, or a file nobody listens on, uses TCP. Only
// 127.0.0.1 is mapped: any other host (a remote worker, a name) is always TCP.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The loopback address whose ports get a Unix socket twin. */
export const LOCAL_SOCKET_HOST = '127.0.0.1';

/** The Unix socket path of the ws server listening on LOCAL_SOCKET_HOST:`port`. */
export function localSocketPath(port: number): string {
  return join(tmpdir(), `oicf-ws-${LOCAL_SOCKET_HOST}-${port}.sock`);
}

/**
 * The ws+unix URL reaching the server of `url` through its Unix socket, or undefined when `url` is not a
 * ws:// URL on LOCAL_SOCKET_HOST with an explicit port (wss, other hosts: TCP only). The socket path must
 * not hold a ':' (ws splits the socket path from the request path there).
 */
export function localSocketUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'ws:' || parsed.hostname !== LOCAL_SOCKET_HOST || parsed.port === '') return undefined;
  const path = localSocketPath(Number(parsed.port));
  if (path.includes(':')) return undefined;
  return `ws+unix://${path}:${parsed.pathname}${parsed.search}`;
}
