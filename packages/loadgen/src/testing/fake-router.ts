import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An in-process stand-in for the router's HTTP contract (docs: router HTTP API), for testing the
 * replay client and driver only; the real cluster is tested under test/integration. It serves
 * `GET /v1/models`, streaming `POST /v1/completions` (token-id prompts, `max_tokens` tokens, usage
 * and the `oicf` block last), `GET /metrics` (a few oicf counters and gauges), `GET /v1/oicf/workers`
 * (one worker whose metrics live under /w0/metrics) and 429 rejects on demand.
 *
 * Prefix caching is modelled so reports have something to show: prompts are cut into 64-token
 * blocks, and a request's cached tokens are its longest run of leading blocks seen before.
 */
export interface FakeBehaviour {
  /** Delay before the first token and between tokens, milliseconds. */
  readonly ttftMs?: number;
  readonly gapMs?: number;
  /** Reject with HTTP 429 and this reason instead of serving. */
  readonly reject?: 'slo' | 'capacity' | 'no-worker';
  /** Write every SSE event in pieces (split inside lines and between CR and LF). */
  readonly splitWrites?: boolean;
  /** Break the stream off after this many tokens (no finish, no [DONE]). */
  readonly dropAfterTokens?: number;
}

export interface CompletionBody {
  model: string;
  prompt: number[];
  max_tokens: number;
  ignore_eos?: boolean;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  session_id?: string;
}

export interface FakeRouter {
  readonly url: string;
  /** Every completion request body received, in order. */
  readonly bodies: CompletionBody[];
  readonly numRejected: () => number;
  readonly maxConcurrent: () => number;
  close(): Promise<void>;
}

const BLOCK_TOKENS = 64;
export const FAKE_MODEL = 'tiny-gqa';

export async function startFakeRouter(
  behave: (body: CompletionBody, index: number) => FakeBehaviour = () => ({}),
): Promise<FakeRouter> {
  const bodies: CompletionBody[] = [];
  const seenBlocks = new Set<string>();
  const rejects = new Map<string, number>();
  let hitBlocks = 0;
  let queriedBlocks = 0;
  const cachedBySource = new Map<string, number>();
  const routed = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  let active = 0;
  let maxActive = 0;
  let url = '';

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/v1/models') {
      return json(res, 200, { object: 'list', data: [{ id: FAKE_MODEL, object: 'model', owned_by: 'oicf' }] });
    }
    if (req.method === 'GET' && req.url === '/v1/oicf/workers') {
      // The real router's shape (apps/router/src/front/http-routes.ts), trimmed to what replay reads.
      return json(res, 200, {
        object: 'list',
        data: [{ worker_id: 'decode-0', role: 'decode', http_address: `${url}/w0` }],
        pool: null,
      });
    }
    if (req.method === 'GET' && req.url === '/metrics') {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      const lines = [
        '# TYPE oicf_router_admission_rejected_requests_total counter',
        ...[...rejects].map(([reason, n]) => `oicf_router_admission_rejected_requests_total{reason="${reason}"} ${n}`),
        // The pool's prefix-query counters (every full block of each prompt asked, the leading ones held).
        '# TYPE oicf_kvpool_prefix_hit_blocks_total counter',
        `oicf_kvpool_prefix_hit_blocks_total{tier="dram"} ${hitBlocks}`,
        '# TYPE oicf_kvpool_prefix_queried_blocks_total counter',
        `oicf_kvpool_prefix_queried_blocks_total ${queriedBlocks}`,
        ...[...cachedBySource].map(([source, n]) => `oicf_router_prefix_cached_tokens_total{source="${source}"} ${n}`),
        ...[...routed].map(
          ([reason, n]) => `oicf_router_routed_requests_total{policy="prefix-aware",reason="${reason}"} ${n}`,
        ),
      ];
      res.end(`${lines.join('\n')}\n`);
      return;
    }
    if (req.method === 'GET' && req.url === '/w0/metrics') {
      res.end(`oicf_decode_waiting_requests ${Math.max(0, active - 1)}\noicf_decode_running_requests ${active}\n`);
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/completions') return complete(req, res);
    json(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'not_found', code: 'NOT_FOUND' } });
  }

  async function complete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = JSON.parse(await readBody(req)) as CompletionBody;
    const index = bodies.length;
    bodies.push(body);
    const bad = invalid(body);
    if (bad)
      return json(res, 400, {
        error: { message: bad, type: 'invalid_request_error', code: 'INVALID_ARGUMENT', param: bad.split(' ')[0] },
      });
    const b = behave(body, index);
    if (b.reject) {
      rejects.set(b.reject, (rejects.get(b.reject) ?? 0) + 1);
      res.setHeader('retry-after', '1');
      return json(res, 429, {
        error: {
          message: `rejected: ${b.reject}`,
          type: b.reject === 'slo' ? 'rate_limit_exceeded' : 'capacity_exceeded',
          code: b.reject,
        },
      });
    }
    active += 1;
    maxActive = Math.max(maxActive, active);
    const cached = cachedTokens(body.prompt);
    // As the real router counts: cached tokens under their source, the computed rest under 'none'.
    if (cached > 0) add(cachedBySource, 'worker', cached);
    add(cachedBySource, 'none', body.prompt.length - cached);
    add(routed, cached > 0 ? 'cache-hit' : 'least-loaded', 1);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const requestId = `cmpl-${index}`;
    const send = async (payload: unknown) => {
      const text = `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\r\n\r\n`;
      if (!b.splitWrites) return void res.write(text);
      // Pieces of 7 characters: cuts lines, JSON and the CRLF pairs at many places.
      for (let i = 0; i < text.length; i += 7) {
        res.write(text.slice(i, i + 7));
        await new Promise((r) => setImmediate(r));
      }
    };
    try {
      for (let i = 0; i < body.max_tokens; i++) {
        await sleep(i === 0 ? (b.ttftMs ?? 2) : (b.gapMs ?? 1));
        if (res.destroyed) return;
        if (b.dropAfterTokens !== undefined && i >= b.dropAfterTokens) {
          res.destroy();
          return;
        }
        const last = i === body.max_tokens - 1;
        await send({
          object: 'text_completion',
          choices: [{ index: 0, text: String.fromCharCode(97 + (i % 26)), finish_reason: last ? 'length' : null }],
          oicf: { request_id: requestId },
        });
      }
      const oicf = {
        request_id: requestId,
        policy: 'prefix-aware',
        reason: cached > 0 ? 'cache-hit' : 'least-loaded',
        prefill_worker_id: null,
        decode_worker_id: 'decode-0',
        num_cached_tokens: cached,
        cache_source: cached > 0 ? 'worker' : 'none',
        predicted_ttft_seconds: 0.004,
        ttft_seconds: 0.002,
        e2e_seconds: 0.01,
        kv_bytes_moved: 1024 * (body.prompt.length - cached),
        timings: { queue_seconds: 0, prefill_seconds: 0.001, kv_transfer_seconds: 0, decode_seconds: 0.005 },
      };
      if (body.stream_options?.include_usage) {
        await send({
          object: 'text_completion',
          choices: [],
          usage: {
            prompt_tokens: body.prompt.length,
            completion_tokens: body.max_tokens,
            total_tokens: body.prompt.length + body.max_tokens,
            prompt_tokens_details: { cached_tokens: cached },
          },
          oicf,
        });
      }
      await send('[DONE]');
      res.end();
    } finally {
      active -= 1;
    }
  }

  function cachedTokens(prompt: readonly number[]): number {
    let numHit = 0;
    let stillHitting = true;
    for (let k = 0; (k + 1) * BLOCK_TOKENS <= prompt.length; k++) {
      const key = prompt.slice(0, (k + 1) * BLOCK_TOKENS).join(',');
      if (stillHitting && seenBlocks.has(key)) numHit += 1;
      else stillHitting = false;
      seenBlocks.add(key);
      queriedBlocks += 1;
    }
    hitBlocks += numHit;
    return numHit * BLOCK_TOKENS;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    bodies,
    numRejected: () => [...rejects.values()].reduce((a, b) => a + b, 0),
    maxConcurrent: () => maxActive,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What the real router would refuse with 400, by field. */
function invalid(body: CompletionBody): string | undefined {
  if (body.model !== FAKE_MODEL) return `model must be ${FAKE_MODEL}`;
  if (!Array.isArray(body.prompt) || !body.prompt.every((t) => Number.isInteger(t) && t >= 0 && t <= 258)) {
    return 'prompt must be token ids in 0..258';
  }
  if (!(Number.isInteger(body.max_tokens) && body.max_tokens >= 1)) return 'max_tokens must be an integer ≥ 1';
  if (body.stream !== true) return 'stream must be true for this fake';
  return undefined;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
