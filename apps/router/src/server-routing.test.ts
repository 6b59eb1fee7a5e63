// Admission and routing through the real router with real gRPC scripted workers: rejects (429, 400,
// 404, 413, 503), health, and modes.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApiErrorBody,
  jsonOf,
  metricValue,
  postJson,
  startTestRouter,
  type TestRouter,
  type WorkersWire,
  waitUntil,
} from './testing/router-harness.js';

let t: TestRouter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const complete = (router: TestRouter, body: Record<string, unknown>, headers?: Record<string, string>) =>
  postJson(`${router.url}/v1/completions`, { model: 'tiny-gqa', ...body }, headers);

describe('admission', () => {
  it('503s while no worker is registered, and /readyz follows the first decode worker', async () => {
    t = await startTestRouter();
    expect((await fetch(`${t.url}/readyz`)).status).toBe(503);
    const res = await complete(t, { prompt: 'x' });
    expect(res.status).toBe(503);
    expect((await jsonOf<ApiErrorBody>(res)).error).toMatchObject({ type: 'service_unavailable', code: 'UNAVAILABLE' });
    await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  });

  it('503s (overloaded, docs/reliability.md) with reason capacity when oicf-cost finds no decode worker that can hold the KV', async () => {
    t = await startTestRouter({ policy: { name: 'oicf-cost', params: {} } });
    // Capacity 64 tokens of tiny-gqa KV: 64 × 4096 B = 262 144 B.
    await t.addWorker({ workerId: 'decode-0', role: 'decode', kvCapacityBytes: 64 * 4096 });
    // 60 prompt + 16 max tokens = 76 tokens × 4096 B = 311 296 B > 262 144 B.
    const res = await complete(t, { prompt: Array.from({ length: 60 }, () => 65), max_tokens: 16 });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const { error } = await jsonOf<ApiErrorBody>(res);
    expect(error).toMatchObject({ type: 'service_unavailable', code: 'capacity', param: null });
    expect(error.message).toContain('needs 311296 bytes of KV');
    expect(error.message).toContain('holds 262144');
    expect(t.workers[0]?.calls.decode).toHaveLength(0);
    const metrics = await t.metricsText();
    const router = { component: 'router' };
    expect(
      metricValue(metrics, 'oicf_router_admission_rejected_requests_total', { ...router, reason: 'capacity' }),
    ).toBe(1);
    expect(metricValue(metrics, 'oicf_router_handled_requests_total', { ...router, door: 'http', status: '503' })).toBe(
      1,
    );
  });

  it('400s naming the bad field, 404s an unknown model, 413s an oversized body', async () => {
    t = await startTestRouter({ maxBodyBytes: 2048 });
    await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const bad = await complete(t, { prompt: 'x', max_tokens: -3 });
    expect(bad.status).toBe(400);
    expect((await jsonOf<ApiErrorBody>(bad)).error).toEqual({
      message: 'max_tokens must be an integer ≥ 1, got -3',
      type: 'invalid_request_error',
      code: 'invalid_value',
      param: 'max_tokens',
    });
    const chat = await postJson(`${t.url}/v1/chat/completions`, { model: 'tiny-gqa', messages: [{ role: 'user' }] });
    expect((await jsonOf<ApiErrorBody>(chat)).error.param).toBe('messages[0].content');
    const json = await fetch(`${t.url}/v1/completions`, { method: 'POST', body: '{"model":' });
    expect(json.status).toBe(400);
    expect((await jsonOf<ApiErrorBody>(json)).error.code).toBe('invalid_json');
    const model = await postJson(`${t.url}/v1/completions`, { model: 'llama', prompt: 'x' });
    expect(model.status).toBe(404);
    expect((await jsonOf<ApiErrorBody>(model)).error).toMatchObject({ code: 'model_not_found', param: 'model' });
    const big = await complete(t, { prompt: 'x'.repeat(4096) });
    expect(big.status).toBe(413);
    expect((await jsonOf<ApiErrorBody>(big)).error.code).toBe('request_too_large');
    expect(t.workers[0]?.calls.decode).toHaveLength(0);
  });
});

/** POSTs `parts` as a chunked body (no content-length: the size is only known while reading). */
function postChunked(url: string, parts: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const p of parts) req.write(p);
    req.end();
  });
}

describe('HTTP replies', () => {
  it('sends a whole reply with its content-length (one write, no chunked framing)', async () => {
    t = await startTestRouter();
    await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'hé' });
    const res = await complete(t, { prompt: 'x', max_tokens: 8 });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBeNull();
    // "hé" is 3 UTF-8 bytes: the length counts bytes, not characters.
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect((JSON.parse(bytes.toString('utf8')) as { choices: Array<{ text: string }> }).choices[0]?.text).toBe('hé');
  });

  it('413s a chunked body once it passes maxBodyBytes, and answers on the same request', async () => {
    t = await startTestRouter({ maxBodyBytes: 2048 });
    await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    // 3 parts of 1000 bytes: the third takes the body past 2048 bytes.
    const head = '{"model":"tiny-gqa","prompt":"';
    const parts = [head.padEnd(1000, 'x'), 'x'.repeat(1000), `${'x'.repeat(998)}"}`];
    const res = await postChunked(`${t.url}/v1/completions`, parts);
    expect(res.status).toBe(413);
    expect((JSON.parse(res.body) as ApiErrorBody).error.code).toBe('request_too_large');
    expect(t.workers[0]?.calls.decode).toHaveLength(0);
  });

  it('still reads a chunked body under the limit in full', async () => {
    t = await startTestRouter({ maxBodyBytes: 4096 });
    await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'ok' });
    const res = await postChunked(`${t.url}/v1/completions`, ['{"model":"tiny-gqa",', '"prompt":"hi","max_tokens":8}']);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { choices: Array<{ text: string }> }).choices[0]?.text).toBe('ok');
    expect(t.workers[0]?.calls.decode[0]?.promptTokenIds).toEqual([104, 105]); // "hi" as bytes
  });
});

describe('worker health', () => {
  it('marks a worker that stops heartbeating unhealthy and stops routing to it', async () => {
    t = await startTestRouter({
      policy: { name: 'round-robin', params: {} },
      heartbeatIntervalSeconds: 0.05,
      workerTimeoutSeconds: 0.3,
      workerDropSeconds: 30,
    });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const d1 = await t.addWorker({ workerId: 'decode-1', role: 'decode' });
    // Both healthy: round-robin alternates.
    for (let i = 0; i < 2; i++) expect((await complete(t, { prompt: 'x', max_tokens: 1 })).status).toBe(200);
    expect([d0.calls.decode.length, d1.calls.decode.length]).toEqual([1, 1]);
    d1.stopHeartbeats();
    const router = t;
    await waitUntil(
      async () => {
        const list = await jsonOf<WorkersWire>(fetch(`${router.url}/v1/oicf/workers`));
        return list.data.find((w) => w.worker_id === 'decode-1')?.healthy === false;
      },
      3,
      'decode-1 to turn unhealthy',
    );
    for (let i = 0; i < 4; i++) expect((await complete(t, { prompt: 'x', max_tokens: 1 })).status).toBe(200);
    expect([d0.calls.decode.length, d1.calls.decode.length]).toEqual([5, 1]);
    await waitUntil(
      () => router.logs.some((l) => l.includes('"event":"worker_unhealthy"') && l.includes('"workerId":"decode-1"')),
      3,
      'the worker_unhealthy log line',
    );
    const info = { component: 'router', worker_id: 'decode-1', role: 'decode', health: 'unhealthy' };
    expect(metricValue(await t.metricsText(), 'oicf_router_worker_info', info)).toBe(1);
    // A heartbeat brings it back.
    await d1.heartbeat();
    for (let i = 0; i < 2; i++) await complete(t, { prompt: 'x', max_tokens: 1 });
    expect(d1.calls.decode.length).toBe(2);
  });

  it('503s with reason no-worker and Retry-After when every decode worker is unhealthy, as /readyz says', async () => {
    t = await startTestRouter({ workerTimeoutSeconds: 0.1 });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    d0.stopHeartbeats();
    const router = t;
    await waitUntil(async () => !(await fetch(`${router.url}/readyz`)).ok, 3, 'readiness to drop');
    const readyz = await fetch(`${router.url}/readyz`);
    expect([readyz.status, await readyz.json()]).toEqual([503, { status: 'not-ready', service: 'router' }]);
    const res = await complete(t, { prompt: 'x' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await jsonOf<ApiErrorBody>(res)).error).toMatchObject({ code: 'no-worker', type: 'service_unavailable' });
  });

  it('tells an unknown worker to register again', async () => {
    t = await startTestRouter({ workerTimeoutSeconds: 0.1, workerDropSeconds: 0.2 });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    d0.stopHeartbeats();
    const router = t;
    await waitUntil(() => router.router.registry.table.size() === 0, 3, 'decode-0 to be dropped');
    await d0.heartbeat(); // REREGISTER directive → the scripted worker registers again
    expect(t.router.registry.table.get('decode-0')?.registration.role).toBe('decode');
  });
});

describe('modes', () => {
  it('colocated mode never calls a prefill worker, and refuses prefill-only workers', async () => {
    t = await startTestRouter({
      mode: 'colocated',
      policy: { name: 'oicf-cost', params: { maxLocalPrefillTokens: 0 } },
    });
    const both = await t.addWorker({ workerId: 'both-0', role: 'both', text: 'ok' });
    await expect(t.addWorker({ workerId: 'prefill-0', role: 'prefill' })).rejects.toThrow(/colocated mode/);
    const res = await complete(t, { prompt: 'a longer prompt that would go to a prefill worker', max_tokens: 4 });
    const body = await jsonOf(res);
    expect(body.choices[0]?.text).toBe('ok');
    expect(body.oicf).toMatchObject({ reason: 'colocated', prefill_worker_id: null, decode_worker_id: 'both-0' });
    expect(both.calls.prefill).toHaveLength(0);
    expect(both.calls.decode.at(-1)).toMatchObject({ numHandoffTokens: 0, firstTokenId: 0, maxTokens: 4 });
  });

  it('disaggregated oicf-cost prefills a short suffix locally (no prefill call)', async () => {
    t = await startTestRouter({
      logLevel: 'debug',
      policy: { name: 'oicf-cost', params: { maxLocalPrefillTokens: 256 } },
    });
    const p0 = await t.addWorker({ workerId: 'prefill-0', role: 'prefill' });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const body = await jsonOf(complete(t, { prompt: 'short', max_tokens: 2 }));
    expect(body.oicf.reason).toBe('local-prefill-short-suffix');
    expect(p0.calls.prefill).toHaveLength(0);
    expect(d0.calls.decode).toHaveLength(1);
    // The decision is logged at debug level with its cost terms.
    const decision = t.logs.map((l) => JSON.parse(l)).find((l) => l.event === 'route_decision');
    expect(decision).toMatchObject({
      level: 'debug',
      policy: 'oicf-cost',
      kind: 'route',
      reason: 'local-prefill-short-suffix',
      decodeWorkerId: 'decode-0',
      prefillWorkerId: null,
      terms: { ttftSeconds: body.oicf.predicted_ttft_seconds },
    });
  });
});
