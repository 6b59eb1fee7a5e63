import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRouter, type TestRouter, waitUntil } from '../testing/router-harness.js';

// The dashboard routes on a real in-process router with scripted workers registered over gRPC and
// heartbeating a fixed load.
describe('router dashboard and discovery routes', () => {
  let t: TestRouter;

  beforeAll(async () => {
    t = await startTestRouter({ policy: { name: 'round-robin', params: {} } });
    // Two decode sequences holding 8,192,000 KV bytes: 1000 tokens each at tiny-gqa's fp32 4096 bytes/token.
    await t.addWorker({
      workerId: 'decode-0',
      role: 'decode',
      httpAddress: 'http://127.0.0.1:40001',
      load: () => ({
        numRunningSequences: 2,
        kvUsedBytes: 8_192_000,
        decodeIntensityFlopsPerByte: 0.7,
        decodeStepSeconds: 0.01,
      }),
    });
    await t.addWorker({ workerId: 'prefill-0', role: 'prefill', httpAddress: 'http://127.0.0.1:40002' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves the page self-contained: inline script and style, a CSP that allows only its own stream', async () => {
    const res = await fetch(`${t.url}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; connect-src 'self'",
    );
    const html = await res.text();
    expect(html).toContain("new EventSource('/dashboard/events')");
    // Nothing fetched from elsewhere: no src/href to another origin, no external script or stylesheet.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it('places a decode worker on the plane from its heartbeat', async () => {
    type Snapshot = {
      workers: Array<{ id: string; decode: Record<string, number> | null }>;
      charts: Record<string, string>;
    };
    let snap: Snapshot | undefined;
    await waitUntil(
      async () => {
        snap = (await (await fetch(`${t.url}/dashboard/snapshot`)).json()) as Snapshot;
        return snap.workers.some((w) => w.decode !== null);
      },
      10,
      'a decode point',
    );
    const decode = snap?.workers.find((w) => w.id === 'decode-0')?.decode;
    // tiny-gqa in fp32: 12,328,448 parameters (4 layers · (q 512² + k, v 512·128 + o 512² + SwiGLU 3·512·1536
    // + 2 norms of 512) + embedding and lm_head 2 · 259 · 512 + final norm 512) · 4 bytes = 49,313,792 bytes.
    // CF = 49,313,792 / 2 + 8,192,000 / 2 = 28,752,896 bytes; context 4,096,000 / 4096 = 1000 tokens.
    expect(decode).toMatchObject({
      capacityFootprintBytes: 28_752_896,
      intensityFlopsPerByte: 0.7,
      batch: 2,
      contextTokens: 1000,
    });
    expect(snap?.charts.plane).toContain('data-series="decode-0 decode"');
    expect(Object.keys(snap?.charts ?? {}).sort()).toEqual([
      'latency',
      'plane',
      'roofline',
      'routing',
      'sources',
      'throughput',
      'tiers',
    ]);
  });

  it('lists the router and every worker that announced an HTTP address in http_sd format', async () => {
    const res = await fetch(`${t.url}/v1/oicf/sd`);
    expect(res.headers.get('content-type')).toBe('application/json');
    const port = new URL(t.url).port;
    expect(await res.json()).toEqual([
      { targets: [`127.0.0.1:${port}`], labels: { service: 'router', role: 'router' } },
      { targets: ['127.0.0.1:40001'], labels: { service: 'decode-0', role: 'decode', worker_id: 'decode-0' } },
      { targets: ['127.0.0.1:40002'], labels: { service: 'prefill-0', role: 'prefill', worker_id: 'prefill-0' } },
    ]);
  });

  it('streams frames as server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${t.url}/dashboard/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('\n\ndata: ') || !text.endsWith('\n\n')) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const frame = JSON.parse(text.slice(text.indexOf('data: ') + 6).trim());
    expect(frame.model).toMatchObject({ id: 'tiny-gqa', weightBytes: 49_313_792, kvBytesPerToken: 4096 });
  });
});
