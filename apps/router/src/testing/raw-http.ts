// A raw TCP client for tests of the HTTP front doors: writes exact bytes and splits what comes back into
// responses (Content-Length or chunked bodies), so tests see the wire, not a client library's view of it.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  /** Status line and header lines, as sent (no final blank line). */
  readonly head: string;
  readonly status: number;
  /** The body as sent on the wire (chunk framing included). */
  readonly rawBody: string;
  /** The body with chunk framing removed. */
  readonly body: string;
}

export interface RawConnection {
  readonly socket: Socket;
  /** Bytes received so far, latin1. */
  received(): string;
  write(data: string | Buffer): void;
  /** Waits until `n` complete responses have arrived; resolves with them. */
  responses(n: number, seconds?: number): Promise<RawResponse[]>;
  /** Resolves once the server closed the connection. */
  closed(seconds?: number): Promise<void>;
}

export function rawConnect(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = '';
    let isClosed = false;
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(conn));
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
    });
    socket.on('close', () => {
      isClosed = true;
    });
    socket.once('error', reject);
    const until = async (cond: () => boolean, seconds: number, what: string) => {
      const end = Date.now() + seconds * 1000;
      while (!cond()) {
        if (Date.now() > end)
          throw new Error(`timed out after ${seconds} s waiting for ${what}; got ${JSON.stringify(text)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const conn: RawConnection = {
      socket,
      received: () => text,
      write: (data) => socket.write(data),
      responses: async (n, seconds = 5) => {
        await until(() => splitResponses(text).length >= n, seconds, `${n} responses`);
        return splitResponses(text).slice(0, n);
      },
      closed: (seconds = 5) => until(() => isClosed, seconds, 'the server to close'),
    };
  });
}

/** The complete responses at the start of `raw` (latin1). */
export function splitResponses(raw: string): RawResponse[] {
  const out: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = raw.indexOf('\r\n\r\n', at);
    if (headEnd < 0) return out;
    const head = raw.slice(at, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const bodyStart = headEnd + 4;
    let bodyEnd: number;
    let body: string;
    if (length !== null) {
      bodyEnd = bodyStart + Number(length[1]);
      if (raw.length < bodyEnd) return out;
      body = raw.slice(bodyStart, bodyEnd);
    } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      body = '';
      let p = bodyStart;
      for (;;) {
        const eol = raw.indexOf('\r\n', p);
        if (eol < 0) return out;
        const size = Number.parseInt(raw.slice(p, eol), 16);
        if (raw.length < eol + 2 + size + 2) return out;
        body += raw.slice(eol + 2, eol + 2 + size);
        p = eol + 2 + size + 2;
        if (size === 0) break;
      }
      bodyEnd = p;
    } else {
      bodyEnd = bodyStart; // no body framing (e.g. 400 Bad Request + close)
      body = '';
    }
    out.push({
      head,
      status,
      rawBody: raw.slice(bodyStart, bodyEnd),
      body: Buffer.from(body, 'latin1').toString('utf8'),
    });
    at = bodyEnd;
  }
}

/** A POST with an exact Content-Length (and any extra header lines, each ending in \r\n). */
export function rawPost(path: string, body: string, extraHeaders = ''): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n${extraHeaders}\r\n${body}`
  );
}
