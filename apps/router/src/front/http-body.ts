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

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Parsed<unknown>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume(); // drain without buffering so the connection can answer
    return { ok: false, issue: tooLarge(maxBytes) };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.resume();
      return { ok: false, issue: tooLarge(maxBytes) };
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return invalidJson('the request body is empty: send a JSON object');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return invalidJson(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

function invalidJson(message: string): { ok: false; issue: ApiIssue } {
  return {
    ok: false,
    issue: { status: 400, type: 'invalid_request_error', code: 'invalid_json', param: null, message },
  };
}
