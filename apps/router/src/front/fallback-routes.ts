// What no exact route matches, in OpenAI's error shape: `GET /v1/models/{id}` (a pattern route), a known
// path with another method (405 with `Allow`, code `method_not_allowed`), anything else (404 "Invalid URL
// (GET /v1/x)", code `unknown_url`, as OpenAI words it). Wired as the service's fallback (transport).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiIssue } from '../core/generate-input.js';
import { sendIssue } from './api-errors.js';
import { modelObject } from './model-routes.js';
import { sendJson } from './send-json.js';

export interface FallbackDeps {
  readonly servedModel: string;
  readonly contextTokens: () => number | undefined;
}

const MODELS_PREFIX = '/v1/models/';

export function apiFallback(deps: FallbackDeps) {
  return (req: IncomingMessage, res: ServerResponse, url: URL, allowed: readonly string[]): void => {
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith(MODELS_PREFIX) && url.pathname.length > MODELS_PREFIX.length) {
      if (method !== 'GET') {
        methodNotAllowed(res, method, url.pathname, ['GET']);
        return;
      }
      const id = safeDecode(url.pathname.slice(MODELS_PREFIX.length));
      if (id === deps.servedModel) {
        sendJson(res, 200, modelObject(deps.servedModel, deps.contextTokens()));
        return;
      }
      const issue: ApiIssue = {
        status: 404,
        type: 'invalid_request_error',
        code: 'model_not_found',
        param: 'model',
        message: `The model ${JSON.stringify(id)} does not exist; this router serves ${JSON.stringify(deps.servedModel)}`,
      };
      sendIssue(res, issue);
      return;
    }
    if (allowed.length > 0) {
      methodNotAllowed(res, method, url.pathname, allowed);
      return;
    }
    sendIssue(res, {
      status: 404,
      type: 'invalid_request_error',
      code: 'unknown_url',
      param: null,
      message: `Invalid URL (${method} ${url.pathname}): see docs/openai.md for the routes this router serves`,
    });
  };
}

function methodNotAllowed(res: ServerResponse, method: string, path: string, allowed: readonly string[]): void {
  const issue: ApiIssue = {
    status: 405,
    type: 'invalid_request_error',
    code: 'method_not_allowed',
    param: null,
    message: `Method ${method} is not allowed on ${path}: use ${allowed.join(' or ')}`,
  };
  sendIssue(res, issue, { allow: allowed.join(', ') });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
