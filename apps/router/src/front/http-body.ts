// Reading a JSON request body with a size limit: a declared or actual size over the limit is a 413 (the
// rest of the body is not buffered), malformed JSON a 400 naming the position the parser gave up at.
import type { IncomingMessage } from 'node:http';
import type { ApiIssue, Parsed } from '../core/generate-input.js';

const tooLarge = (maxBytes: number): ApiIssue => ({
  status: 413,
  type: 'invalid_request_error',
  code: 'request_too_large',
  param: null,
  message: `request body exceeds ${maxBytes} bytes (maxBodyBytes): send a shorter prompt`,
});

/**
 * Resolves with the parsed body or the issue; rejects with the stream's error (a client that breaks
 * off mid-body). Event listeners rather than `for await`: a stream's async iterator costs an
 * end-of-stream tracker and a promise per chunk, for bodies that are one chunk almost always.
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Parsed<unknown>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume(); // drain without buffering so the connection can answer
    return Promise.resolve({ ok: false, issue: tooLarge(maxBytes) });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        req.resume(); // keep draining, unbuffered, so the 413 can be sent on this connection
        resolve({ ok: false, issue: tooLarge(maxBytes) });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(parseJson(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    // Closed before its end without an error event: the client went away mid-body.
    const onClose = () => {
      done();
      reject(new Error('the request body was cut off before its end (client disconnected)'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** A request body as JSON, or the 400 naming where the parser gave up. */
export function parseJson(body: Buffer): Parsed<unknown> {
  const text = body.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    // Only a failed parse asks whether the body was empty (no copy of every body to trim it).
    if (text.trim() === '') return invalidJson('the request body is empty: send a JSON object');
    return invalidJson(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

function invalidJson(message: string): { ok: false; issue: ApiIssue } {
  return {
    ok: false,
    issue: { status: 400, type: 'invalid_request_error', code: 'invalid_json', param: null, message },
  };
}
