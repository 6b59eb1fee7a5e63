// Streaming behaviour of the router with scripted workers over the request plane: client disconnect → cancel, UTF-8
// hold-back across chunks, errors mid-stream, timeouts, the pool lease path, the prefix index, metrics,
// and the WebSocket and gRPC front doors.
import { chainBlockIds } from '@oicf/kv';
import { type GenerateChunk__Output, type KvPoolHandlers, loadProto, type RouterClient } from '@oicf/proto';
import {
  connectWs,
  createGrpcClient,
  defineService,
  type GrpcServer,
  OicfError,
  serverStreamCall,
  startGrpcServer,
} from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApiErrorBody,
  chunksOf,
  jsonOf,
  metricValue,
  readSse,
  startTestRouter,
  type TestRouter,
  waitUntil,
} from './testing/router-harness.js';

let t: TestRouter | undefined;
let pool: GrpcServer | undefined;
afterEach(async () => {
  await t?.close();
  await pool?.shutdown(1);
  t = undefined;
  pool = undefined;
});

const complete = (router: TestRouter, body: Record<string, unknown>, init: RequestInit = {}) =>
  fetch(`${router.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tiny-gqa', ...body }),
    ...init,
  });

describe('streams', () => {
  it('cancels the decode stream when the client disconnects', async () => {
    t = await startTestRouter();
    const d0 = await t.addWorker({
      workerId: 'decode-0',
      role: 'decode',
      text: 'x'.repeat(200),
      tokenIntervalSeconds: 0.02,
    });
    const abort = new AbortController();
    const res = await complete(t, { prompt: 'go', max_tokens: 200, stream: true }, { signal: abort.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the first chunk arrived: the decode stream is running
    abort.abort();
    await waitUntil(() => d0.calls.cancel.length === 1, 3, 'Cancel on the decode worker');
    expect(d0.calls.cancel[0]).toEqual({ requestId: d0.calls.decode[0]?.requestId, reason: 'client disconnected' });
    await waitUntil(() => d0.cancelledStreams.length === 1, 3, 'the decode stream to stop');
  });

  it('holds back incomplete UTF-8 characters split across chunks', async () => {
    t = await startTestRouter();
    // "é🙂" = C3 A9 F0 9F 99 82: one byte per chunk, so text may only appear at byte 2 and byte 6. The worker
    // paces its steps (50 ms) so each arrives in its own event-loop turn: the router merges outputs that
    // arrive together into one event.
    await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'é🙂', tokenIntervalSeconds: 0.05 });
    const chunks = chunksOf(await readSse(await complete(t, { prompt: 'go', max_tokens: 16, stream: true })));
    const texts = chunks.map((c) => c.choices[0]?.text);
    // The first token (C3) still opens the stream (empty), then é, then 🙂, then the finish chunk.
    expect(texts).toEqual(['', 'é', '🙂', '']);
  });

  it('sends a worker failure after the stream started as an SSE error event, then [DONE]', async () => {
    t = await startTestRouter();
    await t.addWorker({
      workerId: 'decode-0',
      role: 'decode',
      decodeError: { code: 'RESOURCE_EXHAUSTED', message: 'kv full' },
    });
    const [event] = chunksOf(await readSse(await complete(t, { prompt: 'go', stream: true })));
    expect(event?.error).toMatchObject({ code: 'RESOURCE_EXHAUSTED', type: 'rate_limit_exceeded' });
    expect(event?.error?.message).toMatch(/Decode on worker decode-0 failed: kv full/);
  });

  it('re-arms the idle timeout on every chunk: a stream slower in total than the timeout completes', async () => {
    // 4 chunks ("abc" then EOS), each 0.15 s after the previous, under a 0.35 s idle timeout: the whole
    // stream takes ≈ 0.6 s, so a timer armed once (not re-armed per chunk) would cut it at 0.35 s.
    t = await startTestRouter({ decodeIdleTimeoutSeconds: 0.35 });
    await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'abc', tokenIntervalSeconds: 0.15 });
    const res = await complete(t, { prompt: 'go', max_tokens: 8 });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.choices[0]?.text).toBe('abc');
    expect(body.choices[0]?.finish_reason).toBe('stop');
  });

  it('times out a silent decode worker with a clear 504', async () => {
    t = await startTestRouter({ decodeIdleTimeoutSeconds: 0.2 });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode', tokenIntervalSeconds: 5 });
    const res = await complete(t, { prompt: 'go' });
    expect(res.status).toBe(504);
    expect((await jsonOf<ApiErrorBody>(res)).error.message).toMatch(/decode-0 sent no first chunk within 0.2 s/);
    await waitUntil(() => d0.calls.cancel.length === 1, 3, 'Cancel after the timeout');
  });
});

describe('KV reuse', () => {
  it('leases the pool prefix for the prefill worker and releases it after prefill', async () => {
    const calls: { lookup: string[][]; lease: string[][]; release: string[] } = { lookup: [], lease: [], release: [] };
    const none = () => {
      throw new OicfError('UNIMPLEMENTED', 'not in this fake');
    };
    pool = await startGrpcServer({
      services: [
        defineService<KvPoolHandlers>(loadProto().KvPool.service, {
          Lookup: (req) => {
            calls.lookup.push(req.blockIds);
            // The pool holds the first block, in its CXL tier.
            const id = req.blockIds[0] as string;
            return {
              numCachedBlocks: 1,
              numCachedTokens: 64,
              blocks: [{ blockId: id, firstToken: 0, numTokens: 64, tier: 'TIER_CXL', sizeBytes: 262_144 }],
            };
          },
          Lease: (req) => {
            calls.lease.push(req.blockIds);
            return { leaseId: 'L1', ttlSeconds: req.ttlSeconds, leasedBlockIds: req.blockIds };
          },
          Release: (req) => {
            calls.release.push(req.leaseId);
            return { released: true };
          },
          Stats: none,
          Evict: none,
          Health: none,
        }),
      ],
    });
    t = await startTestRouter({
      pool: { grpcAddress: pool.address, wsAddress: 'ws://127.0.0.1:9' },
      policy: { name: 'oicf-cost', params: { maxLocalPrefillTokens: 0 } },
    });
    const p0 = await t.addWorker({ workerId: 'prefill-0', role: 'prefill' });
    await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const prompt = Array.from({ length: 130 }, (_, i) => i % 256); // 2 full blocks of 64 + 2 tokens
    const body = await jsonOf(complete(t, { prompt, max_tokens: 2 }));
    const ids = chainBlockIds(prompt, { blockTokens: 64 });
    expect(calls.lookup).toEqual([ids]);
    expect(calls.lease).toEqual([[ids[0]]]);
    expect(p0.calls.prefill[0]?.cachedPrefix).toEqual([
      {
        wsAddress: 'ws://127.0.0.1:9',
        leaseId: 'L1',
        blocks: [{ blockId: ids[0], firstToken: 0, numTokens: 64, tier: 'TIER_CXL', sizeBytes: 262_144 }],
      },
    ]);
    expect(p0.calls.prefill[0]?.poolWsAddress).toBe('ws://127.0.0.1:9');
    await waitUntil(() => calls.release.length === 1, 3, 'the lease release');
    expect(calls.release).toEqual(['L1']);
    // 64 tokens came from the pool; bytes = 262 144 fetched + (130 handed off × 4096 = 532 480) pushed.
    expect(body.oicf).toMatchObject({ num_cached_tokens: 64, cache_source: 'pool', kv_bytes_moved: 794_624 });
    expect(body.usage?.prompt_tokens_details.cached_tokens).toBe(64);
  });

  it('sends a session turn sharing a prefix to the decode worker that holds it (prefix-aware)', async () => {
    t = await startTestRouter({ policy: { name: 'prefix-aware', params: {} }, mode: 'colocated' });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const d1 = await t.addWorker({ workerId: 'decode-1', role: 'decode' });
    const turn1 = Array.from({ length: 100 }, (_, i) => (i * 7) % 256);
    const first = await jsonOf(complete(t, { prompt: turn1, max_tokens: 1 }));
    expect(first.oicf.reason).toBe('prefix-miss');
    const holder = first.oicf.decode_worker_id;
    const second = await jsonOf(complete(t, { prompt: [...turn1, 1, 2, 3], max_tokens: 1 }));
    expect(second.oicf).toMatchObject({ reason: 'prefix-hit', decode_worker_id: holder });
    expect(d0.calls.decode.length + d1.calls.decode.length).toBe(2);
  });
});

describe('metrics', () => {
  it('shows latency histograms with vLLM buckets, decisions by reason, and vLLM anchor names in "both" mode', async () => {
    t = await startTestRouter({ metricNames: 'both', policy: { name: 'round-robin', params: {} } });
    await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    for (let i = 0; i < 3; i++) await (await complete(t, { prompt: 'abc', max_tokens: 4, ignore_eos: true })).json();
    const m = await t.metricsText();
    const model = { model_name: 'tiny-gqa', component: 'router' };
    const router = { component: 'router' };
    // TTFT buckets are vLLM's (vllm/v1/metrics/loggers.py): 22 bounds, 1 ms … 2560 s, then +Inf; 3 requests
    // observed, under both name sets.
    const ttftBounds = [...m.matchAll(/^oicf_router_time_to_first_token_seconds_bucket\{le="([^"]+)"/gm)].map(
      (x) => x[1],
    );
    expect(ttftBounds).toEqual(
      ['0.001', '0.005', '0.01', '0.02', '0.04', '0.06', '0.08', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5'].concat([
        '7.5',
        '10',
        '20',
        '40',
        '80',
        '160',
        '640',
        '2560',
        '+Inf',
      ]),
    );
    expect(metricValue(m, 'oicf_router_time_to_first_token_seconds_bucket', { ...model, le: '2560' })).toBe(3);
    expect(metricValue(m, 'vllm:time_to_first_token_seconds_count', model)).toBe(3);
    // 4 tokens per request, one per chunk: 3 gaps each → 9 inter-token observations.
    expect(metricValue(m, 'oicf_router_inter_token_latency_seconds_count', model)).toBe(9);
    expect(metricValue(m, 'vllm:inter_token_latency_seconds_count', model)).toBe(9);
    expect(metricValue(m, 'oicf_router_e2e_request_latency_seconds_count', model)).toBe(3);
    expect(metricValue(m, 'oicf_router_request_queue_time_seconds_count', model)).toBe(3);
    expect(metricValue(m, 'oicf_router_generation_tokens_total', model)).toBe(12);
    expect(
      metricValue(m, 'oicf_router_routed_requests_total', { ...router, policy: 'round-robin', reason: 'round-robin' }),
    ).toBe(3);
    // 3 prompts of 3 tokens, none cached: 9 tokens from source none.
    expect(metricValue(m, 'oicf_router_prefix_cached_tokens_total', { ...router, source: 'none' })).toBe(9);
    expect(metricValue(m, 'oicf_router_ttft_prediction_error_ratio_count', router)).toBe(3);
    expect(metricValue(m, 'oicf_router_last_predicted_ttft_seconds', router)).toBeGreaterThan(0);
    expect(metricValue(m, 'oicf_router_last_observed_ttft_seconds', router)).toBeGreaterThan(0);
    expect(metricValue(m, 'oicf_router_handled_requests_total', { ...router, door: 'http', status: '200' })).toBe(3);
    expect(
      metricValue(m, 'oicf_router_worker_info', {
        ...router,
        worker_id: 'decode-0',
        role: 'decode',
        health: 'healthy',
      }),
    ).toBe(1);
  });
});

describe('front doors', () => {
  it('WebSocket: generate → generate.chunk frames → generate.done', async () => {
    t = await startTestRouter();
    // Paced steps (50 ms): one chunk per step (outputs arriving in one event-loop turn would be merged).
    await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'hey', tokenIntervalSeconds: 0.05 });
    const ws = await connectWs(t.wsUrl);
    const frames = [];
    for await (const f of ws.stream('generate', { text: 'hi', maxTokens: 8, stream: true })) frames.push(f);
    await ws.close();
    expect(frames.map((f) => f.kind)).toEqual([
      'generate.chunk',
      'generate.chunk',
      'generate.chunk',
      'generate.chunk',
      'generate.done',
    ]);
    const bodies = frames.map((f) => f.body as GenerateChunk__Output);
    expect(bodies.map((b) => b.text).join('')).toBe('hey');
    expect(bodies[0]?.routing).toMatchObject({ decodeWorkerId: 'decode-0', policy: 'oicf-cost' });
    expect(bodies[0]?.ttftSeconds).toBeGreaterThan(0);
    expect(bodies.at(-1)).toMatchObject({
      finishReason: 'FINISH_REASON_STOP',
      usage: { numPromptTokens: 2, numCompletionTokens: 4, numCachedPromptTokens: 0 },
    });
  });

  it('WebSocket: a reject comes back as an error frame', async () => {
    t = await startTestRouter();
    await t.addWorker({ workerId: 'decode-0', role: 'decode', kvCapacityBytes: 4096 });
    const ws = await connectWs(t.wsUrl);
    await expect(ws.request('generate', { text: 'hi', maxTokens: 8 }, 'generate.done')).rejects.toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: expect.stringMatching(/^rejected \(capacity\) by policy oicf-cost/),
    });
    await ws.close();
  });

  it('gRPC Router.Generate: one chunk holding everything when stream = false', async () => {
    t = await startTestRouter();
    await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'yo' });
    const client: RouterClient = createGrpcClient(loadProto().Router, t.grpcAddress);
    const chunks = [];
    for await (const c of serverStreamCall(client, 'Generate', { tokenIds: { ids: [1, 2, 3] }, maxTokens: 5 }))
      chunks.push(c);
    client.close();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({
      tokenIds: [121, 111, 257], // 'y', 'o', EOS
      text: 'yo',
      finishReason: 'FINISH_REASON_STOP',
      usage: { numPromptTokens: 3, numCompletionTokens: 3 },
      routing: { decodeWorkerId: 'decode-0', prefillWorkerId: '' },
    });
    expect(chunks[0]?.ttftSeconds).toBeGreaterThan(0);
    expect(chunks[0]?.e2eSeconds).toBeGreaterThanOrEqual(chunks[0]?.ttftSeconds ?? 0);
  });

  it('gRPC Router.Generate: a missing prompt is INVALID_ARGUMENT naming the field', async () => {
    t = await startTestRouter();
    await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const client: RouterClient = createGrpcClient(loadProto().Router, t.grpcAddress);
    const run = async () => {
      for await (const _ of serverStreamCall(client, 'Generate', { maxTokens: 5 })) {
        // no chunks expected
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'prompt' });
    client.close();
  });
});
