// In-flight prefixes (issue 16.1) over the request plane: while a request's decode has produced nothing yet
// its prompt blocks are pending on its decode worker, and a request sharing them is routed there to wait
// (the decode frame names what to await); its first output arriving over the plane lands the prefix
// (Admission's prefixLanded: held from then on), so a request sent after that is a plain prefix hit.
import type { DecodeRequest__Output } from '@oicf/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { type CompletionWire, jsonOf, startTestRouter, type TestRouter, waitUntil } from './testing/router-harness.js';

let t: TestRouter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A decode frame a worker took, and which worker. */
interface TakenDecode {
  readonly worker: string;
  readonly d: DecodeRequest__Output;
}

const complete = (router: TestRouter, body: Record<string, unknown>) =>
  fetch(`${router.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tiny-gqa', ...body }),
  });

describe('in-flight prefixes over the request plane', () => {
  it('a request sharing a prefix waits for it before the first output, and hits it (held) after', async () => {
    t = await startTestRouter({ policy: { name: 'prefix-aware', params: {} }, mode: 'colocated' });
    // Each decode step of the script takes 0.5 s, the first one too: A's prefix stays pending that long.
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'abcd', tokenIntervalSeconds: 0.5 });
    const d1 = await t.addWorker({ workerId: 'decode-1', role: 'decode', text: 'abcd', tokenIntervalSeconds: 0.5 });
    const workers = [d0, d1];
    // 130 tokens = 2 full blocks of 64 (the reusable prefix of A and of every request extending it).
    const promptA = Array.from({ length: 130 }, (_, i) => (i * 7) % 256);
    const streamA = await complete(t, { prompt: promptA, max_tokens: 4, stream: true });
    const decodesOf = (): TakenDecode[] =>
      workers.flatMap((w) => w.calls.decode.map((d) => ({ worker: w.workerId, d })));
    await waitUntil(() => decodesOf().length === 1, 5, "A's decode frame");
    const a = decodesOf()[0] as typeof decodesOf extends () => Array<infer T> ? T : never;
    const holder = a.worker;

    // B, before A's first output: A's 2 blocks are pending on A's worker, so B goes there and its decode
    // frame asks the worker to await them (128 tokens, A's request id).
    const pendingB = complete(t, { prompt: [...promptA, 1], max_tokens: 1 });
    await waitUntil(() => decodesOf().length === 2, 5, "B's decode frame");
    const b = decodesOf()[1] as TakenDecode;
    expect(b.worker).toBe(holder);
    expect(b.d.numAwaitPrefixTokens).toBe(128);
    expect(b.d.awaitPrefixRequestId).toBe(a.d.requestId);
    const bodyB = await jsonOf<CompletionWire>(pendingB);
    expect(bodyB.oicf.decode_worker_id).toBe(holder);

    for (const reader = (streamA.body as ReadableStream<Uint8Array>).getReader(); ; )
      if ((await reader.read()).done) break;

    // D, a prompt no other request shares, decoding (4 steps of 0.5 s): once its first output has arrived
    // over the plane (its first SSE chunk), its prefix is held on its worker, not pending: E, sharing it and
    // sent while D still decodes (~1.5 s left), is a plain prefix hit there and awaits nothing.
    const promptD = Array.from({ length: 130 }, (_, i) => (i * 11 + 5) % 256);
    const streamD = await complete(t, { prompt: promptD, max_tokens: 4, stream: true });
    const readerD = (streamD.body as ReadableStream<Uint8Array>).getReader();
    await readerD.read();
    const d = decodesOf()[2] as TakenDecode;
    expect(d.d.numAwaitPrefixTokens).toBe(0);
    const e = await jsonOf<CompletionWire>(complete(t, { prompt: [...promptD, 2], max_tokens: 1 }));
    expect(e.oicf).toMatchObject({ reason: 'prefix-hit', decode_worker_id: d.worker });
    expect((decodesOf()[3] as TakenDecode).d.numAwaitPrefixTokens).toBe(0);
    for (;;) if ((await readerD.read()).done) break;
  }, 30_000);
});
