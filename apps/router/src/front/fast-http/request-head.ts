// The strict HTTP/1.1 request-head parser of the fast door (fast-door.ts). It accepts one narrow, common
// shape: `POST <one of the door's paths> HTTP/1.1`, plain `name: value` lines, exactly one Host and one
// Content-Length (digits, within the body limit), Connection keep-alive or close, no Transfer-Encoding,
// Expect or Upgrade, a head of at most MAX_HEAD_BYTES. Anything else is `handoff`: the connection goes to
// node:http with the bytes read so far, which answers it exactly as it always has (400, 413, 431, the
// other routes…). So this parser never has to produce an error of its own, and never accepts what Node
// would refuse.

/** Heads longer than this go to node:http (whose own limit, 16 KiB, then decides). */
export const MAX_HEAD_BYTES = 8 * 1024;

export interface RequestHead {
  readonly kind: 'request';
  readonly path: string;
  /** Offset of the body's first byte (just past the blank line). */
  readonly bodyStart: number;
  readonly contentLength: number;
  /** The client asked to keep the connection (HTTP/1.1 default; false with `Connection: close`). */
  readonly keepAlive: boolean;
  readonly authorization: string | undefined;
  readonly sessionId: string;
}

export type HeadParse = RequestHead | { readonly kind: 'partial' } | { readonly kind: 'handoff'; readonly why: string };

const PARTIAL = { kind: 'partial' } as const;
const handoff = (why: string) => ({ kind: 'handoff', why }) as const;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const POST = 'POST ';

// RFC 9110 token characters (header names).
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 48; c < 58; c++) TCHAR[c] = 1;
for (let c = 65; c < 91; c++) TCHAR[c] = 1;
for (let c = 97; c < 123; c++) TCHAR[c] = 1;

// Lengths of the header names the parser reads (host 4, expect 6, upgrade 7, connection 10, authorization
// 13, content-length and http2-settings 14, transfer-encoding and x-oicf-session-id 17): other names are
// only checked, never lower-cased.
const READ_LENGTHS = new Set([4, 6, 7, 10, 13, 14, 17]);
const SP = 0x20;
const HTAB = 0x09;

const DIGITS = /^[0-9]{1,15}$/;
const HOST = /^[A-Za-z0-9.:[\]-]+$/;

/**
 * Parses the request head at the start of `buf`. `paths` are the request targets the door serves;
 * `maxBodyBytes` the largest Content-Length it takes (a larger one is node:http's 413).
 */
export function parseHead(buf: Buffer, paths: ReadonlySet<string>, maxBodyBytes: number): HeadParse {
  const prefix = Math.min(buf.length, POST.length);
  for (let i = 0; i < prefix; i++) if (buf[i] !== POST.charCodeAt(i)) return handoff('not a POST');
  const end = buf.indexOf(CRLFCRLF);
  if (end < 0 || end > MAX_HEAD_BYTES) return buf.length > MAX_HEAD_BYTES ? handoff('head too long') : PARTIAL;
  const text = buf.toString('latin1', 0, end);
  const firstEnd = text.indexOf('\r\n');
  const requestLine = firstEnd < 0 ? text : text.slice(0, firstEnd);
  if (!requestLine.endsWith(' HTTP/1.1')) return handoff('request line or version');
  const path = requestLine.slice(POST.length, -' HTTP/1.1'.length);
  if (!paths.has(path)) return handoff('another path');
  let contentLength = -1;
  let host: string | undefined;
  let connection: string | undefined;
  let authorization: string | undefined;
  let sessionId: string | undefined;
  let pos = firstEnd < 0 ? text.length : firstEnd + 2;
  while (pos < text.length) {
    let eol = text.indexOf('\r\n', pos);
    if (eol < 0) eol = text.length;
    const colon = text.indexOf(':', pos);
    if (colon <= pos || colon > eol) return handoff('header line');
    // The name: token characters only (no space before the colon, no bare CR or LF).
    for (let i = pos; i < colon; i++) if (TCHAR[text.charCodeAt(i)] !== 1) return handoff('header name');
    // The value: visible ASCII, space and tab only (no control bytes, bare CR or LF, obs-text).
    for (let i = colon + 1; i < eol; i++) {
      const c = text.charCodeAt(i);
      if ((c < SP && c !== HTAB) || c > 0x7e) return handoff('header value');
    }
    if (READ_LENGTHS.has(colon - pos)) {
      let from = colon + 1;
      let to = eol;
      while (from < to && (text.charCodeAt(from) === SP || text.charCodeAt(from) === HTAB)) from++;
      while (to > from && (text.charCodeAt(to - 1) === SP || text.charCodeAt(to - 1) === HTAB)) to--;
      const value = text.slice(from, to);
      const name = text.slice(pos, colon);
      switch (name.toLowerCase()) {
        case 'content-length':
          if (contentLength >= 0 || !DIGITS.test(value)) return handoff('content-length');
          contentLength = Number(value);
          if (contentLength > maxBodyBytes) return handoff('body over the limit');
          break;
        case 'host':
          if (host !== undefined || !HOST.test(value)) return handoff('host');
          host = value;
          break;
        case 'connection':
          if (connection !== undefined) return handoff('connection');
          connection = value.toLowerCase();
          if (connection !== 'keep-alive' && connection !== 'close') return handoff('connection');
          break;
        case 'authorization':
          if (authorization !== undefined) return handoff('authorization');
          authorization = value;
          break;
        case 'x-oicf-session-id':
          if (sessionId !== undefined) return handoff('session id');
          sessionId = value;
          break;
        case 'transfer-encoding':
        case 'expect':
        case 'upgrade':
        case 'http2-settings':
          return handoff(name);
      }
    }
    pos = eol + 2;
  }
  if (host === undefined) return handoff('no host');
  if (contentLength < 0) return handoff('no content-length');
  return {
    kind: 'request',
    path,
    bodyStart: end + 4,
    contentLength,
    keepAlive: connection !== 'close',
    authorization,
    sessionId: sessionId ?? '',
  };
}
