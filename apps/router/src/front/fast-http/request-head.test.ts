// The fast door's head parser: it takes only the narrow canonical shape and hands everything else to
// node:http (which then answers as it always has); it never reports an error of its own.
import { describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, parseHead } from './request-head.js';

const PATHS = new Set(['/v1/completions', '/v1/chat/completions']);
const parse = (head: string, maxBody = 1000) => parseHead(Buffer.from(head, 'latin1'), PATHS, maxBody);
const req = (lines: string) => `POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1:80\r\n${lines}\r\n`;

describe('parseHead', () => {
  it('reads the canonical request: path, body offset, Content-Length, keep-alive, key and session', () => {
    const head =
      'POST /v1/chat/completions HTTP/1.1\r\nhost: a\r\nContent-Length:  12 \r\nAuthorization: Bearer k\r\nX-OICF-Session-Id: s1\r\n\r\n';
    expect(parse(`${head}{"a":1}`)).toEqual({
      kind: 'request',
      path: '/v1/chat/completions',
      bodyStart: head.length,
      contentLength: 12,
      keepAlive: true,
      authorization: 'Bearer k',
      sessionId: 's1',
    });
    expect(parse(req('content-length: 0\r\nconnection: Close\r\n'))).toMatchObject({ keepAlive: false });
    expect(parse(req('content-length: 0\r\nConnection: keep-alive\r\n'))).toMatchObject({ keepAlive: true });
  });

  it('waits for more bytes while the head is incomplete', () => {
    expect(parse('POS')).toEqual({ kind: 'partial' });
    expect(parse('POST /v1/completions HTTP/1.1\r\nHost: a\r\n')).toEqual({ kind: 'partial' });
  });

  it.each([
    ['another method', 'GET /v1/completions HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['another method, seen in its first bytes', 'GE'],
    ['another path', 'POST /v1/embeddings HTTP/1.1\r\nHost: a\r\ncontent-length: 0\r\n\r\n'],
    ['a query string', 'POST /v1/completions?a=1 HTTP/1.1\r\nHost: a\r\ncontent-length: 0\r\n\r\n'],
    ['HTTP/1.0', 'POST /v1/completions HTTP/1.0\r\nHost: a\r\ncontent-length: 0\r\n\r\n'],
    ['a request line with two spaces', 'POST  /v1/completions HTTP/1.1\r\nHost: a\r\ncontent-length: 0\r\n\r\n'],
    ['two Content-Lengths', req('content-length: 2\r\ncontent-length: 2\r\n')],
    ['a signed Content-Length', req('content-length: +2\r\n')],
    ['a Content-Length list', req('content-length: 2, 2\r\n')],
    ['a Content-Length over the body limit', req('content-length: 1001\r\n')],
    ['no Content-Length', req('')],
    ['Transfer-Encoding', req('content-length: 2\r\ntransfer-encoding: chunked\r\n')],
    ['Expect', req('content-length: 2\r\nExpect: 100-continue\r\n')],
    ['Upgrade', req('content-length: 2\r\nUpgrade: websocket\r\n')],
    ['another Connection value', req('content-length: 2\r\nConnection: upgrade\r\n')],
    ['no Host', 'POST /v1/completions HTTP/1.1\r\ncontent-length: 0\r\n\r\n'],
    ['two Hosts', req('Host: b\r\ncontent-length: 0\r\n')],
    ['a Host with a space', 'POST /v1/completions HTTP/1.1\r\nHost: a b\r\ncontent-length: 0\r\n\r\n'],
    ['a folded header line', req('content-length: 0\r\nx-a: 1\r\n  continued\r\n')],
    ['a line without a colon', req('content-length: 0\r\nbroken\r\n')],
    ['a space in a header name', req('content-length: 0\r\nx a: 1\r\n')],
    ['a control byte in a value', req('content-length: 0\r\nx-a: 1\u0001\r\n')],
    ['a bare LF in a value', req('content-length: 0\r\nx-a: 1\nx-b: 2\r\n')],
    ['a byte above ASCII in a value', req('content-length: 0\r\nx-a: caf\u00e9\r\n')],
    ['two session ids', req('content-length: 0\r\nx-oicf-session-id: a\r\nx-oicf-session-id: b\r\n')],
    ['a head over MAX_HEAD_BYTES', req(`content-length: 0\r\nx-pad: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n`)],
    ['an unfinished head over MAX_HEAD_BYTES', `POST /v1/completions HTTP/1.1\r\nx-pad: ${'a'.repeat(MAX_HEAD_BYTES)}`],
  ])('hands off %s', (_what, head) => {
    expect(parse(head).kind).toBe('handoff');
  });
});
