// Prefill failover through the real router with scripted workers on real request channels (issue 14.1): the
// planned prefill worker dies while its prefill is in flight (its servers close, so its request channel
// closes and the call fails UNAVAILABLE); the request is retried on the other prefill worker, or, with none
// left, prefilled locally on the decode worker. The client's reply is the whole script either way; the
// client never sees the failure. (A worker whose channel closed before routing is marked failed at once and
// is not planned at all: no failover is needed for it.)
import { afterEach, describe, expect, it } from 'vitest';
import { jsonOf, metricValue, postJson, startTestRouter, type TestRouter } from './testing/router-harness.js';

let t: TestRouter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

// oicf-cost with no local prefill allowed: every request is planned remote, on the fastest prefill worker.
const config = { policy: { name: 'oicf-cost', params: { maxLocalPrefillTokens: 0 } } };
const fast = () => ({ prefillSecondsPerToken: 1e-6 });
const slow = () => ({ prefillSecondsPerToken: 1e-2 });

interface Reply {
  choices: Array<{ text: string }>;
  oicf: { prefill_worker_id: string | null };
}

describe('prefill failover', () => {
  it('a dead prefill worker: retried on another prefill worker, same reply', async () => {
    t = await startTestRouter(config);
    const p0 = await t.addWorker({
      workerId: 'prefill-0',
      role: 'prefill',
      text: 'hello',
      load: fast,
      prefillSeconds: 5,
    });
    const p1 = await t.addWorker({ workerId: 'prefill-1', role: 'prefill', text: 'hello', load: slow });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'hello' });
    const sent = postJson(`${t.url}/v1/completions`, { model: 'tiny-gqa', prompt: 'abc', max_tokens: 5 });
    await until(() => p0.calls.prefill.length === 1); // planned (fastest), and now computing
    await p0.close(); // dies mid-prefill
    const res = await sent;
    expect(res.status).toBe(200);
    const body = await jsonOf<Reply>(res);
    expect(body.choices[0]?.text).toBe('hello');
    expect(p1.calls.prefill).toHaveLength(1);
    expect(d0.calls.decode[0]?.numHandoffTokens).toBe(3);
    const metrics = await t.metricsText();
    expect(
      metricValue(metrics, 'oicf_router_prefill_failover_requests_total', { component: 'router', next: 'remote' }),
    ).toBe(1);
  });

  it('no prefill worker left: the decode worker prefills locally (no handoff), same reply', async () => {
    t = await startTestRouter(config);
    const p0 = await t.addWorker({
      workerId: 'prefill-0',
      role: 'prefill',
      text: 'hello',
      load: fast,
      prefillSeconds: 5,
    });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'hello' });
    const sent = postJson(`${t.url}/v1/completions`, { model: 'tiny-gqa', prompt: 'abc', max_tokens: 5 });
    await until(() => p0.calls.prefill.length === 1);
    await p0.close();
    const res = await sent;
    expect(res.status).toBe(200);
    expect((await jsonOf<Reply>(res)).choices[0]?.text).toBe('hello');
    expect(d0.calls.decode[0]).toMatchObject({ numHandoffTokens: 0, firstTokenId: 0 });
    const metrics = await t.metricsText();
    expect(
      metricValue(metrics, 'oicf_router_prefill_failover_requests_total', { component: 'router', next: 'local' }),
    ).toBe(1);
  });
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}
