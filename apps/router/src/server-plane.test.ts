// The request plane as the router uses it, with scripted workers: one channel per worker carries many
// requests at once, and a channel that drops fails every request on it at once with UNAVAILABLE naming the
// worker, which the router then stops routing to.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CompletionWire,
  chunksOf,
  jsonOf,
  startTestRouter,
  type TestRouter,
  type WorkersWire,
} from './testing/router-harness.js';

let t: TestRouter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const complete = (router: TestRouter, body: Record<string, unknown>) =>
  fetch(`${router.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tiny-gqa', ...body }),
  });

/** Everything a reader still gives, as text. */
async function rest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
  }
}

/** The `data:` payloads of SSE text (what readSse does for a whole response). */
function sseEvents(text: string): Array<CompletionWire | '[DONE]'> {
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice('data: '.length))
    .map((d) => (d === '[DONE]' ? d : (JSON.parse(d) as CompletionWire)));
}

describe('request plane', () => {
  it('serves 20 concurrent requests to one worker over its one channel, each with its own tokens', async () => {
    t = await startTestRouter();
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'abc', tokenIntervalSeconds: 0.01 });
    const bodies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => jsonOf(complete(t as TestRouter, { prompt: `p${i}`, max_tokens: 8 }))),
    );
    // The script "abc" then EOS: every request gets exactly its own three tokens, none of another's.
    expect(bodies.map((b) => b.choices[0]?.text)).toEqual(Array(20).fill('abc'));
    expect(new Set(d0.calls.decode.map((r) => r.requestId)).size).toBe(20);
    expect(d0.numPlaneConnections()).toBe(1);
  });

  it('fails every stream on a channel that drops, at once, naming the worker, and routes no more to it', async () => {
    t = await startTestRouter();
    const d0 = await t.addWorker({
      workerId: 'decode-0',
      role: 'decode',
      text: 'x'.repeat(500),
      tokenIntervalSeconds: 0.02,
    });
    const streams = Array.from({ length: 3 }, (_, i) =>
      complete(t as TestRouter, { prompt: `p${i}`, max_tokens: 400, stream: true }),
    );
    const responses = await Promise.all(streams);
    const readers = responses.map((r) => (r.body as ReadableStream<Uint8Array>).getReader());
    await Promise.all(readers.map((r) => r.read())); // each stream has its first token: all three are decoding
    await d0.close(); // the worker goes away: its channel closes
    for (const reader of readers) {
      const events = chunksOf(sseEvents(await rest(reader)));
      const error = events.at(-1)?.error;
      expect(error?.code).toBe('UNAVAILABLE');
      expect(error?.message).toMatch(
        /^Decode on worker decode-0 failed: request channel to decode worker decode-0 closed/,
      );
    }
    const workers = await jsonOf<WorkersWire>(fetch(`${t.url}/v1/oicf/workers`));
    expect(workers.data.find((w) => w.worker_id === 'decode-0')?.healthy).toBe(false);
  });

  it('forgets a finished decode on its channel: no idle cancel is ever sent for it', async () => {
    // Idle limit 0.2 s, so the channel's timer (every 0.05 s) would cancel a finished call it still held.
    t = await startTestRouter({ decodeIdleTimeoutSeconds: 0.2 });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode', text: 'abc' });
    const bodies = await Promise.all(
      Array.from({ length: 5 }, (_, i) => jsonOf(complete(t as TestRouter, { prompt: `p${i}`, max_tokens: 8 }))),
    );
    expect(bodies.map((b) => b.choices[0]?.finish_reason)).toEqual(Array(5).fill('stop'));
    // Five idle limits later: the worker got no cancel for any of the finished requests.
    await new Promise((r) => setTimeout(r, 1000));
    expect(d0.calls.cancel).toEqual([]);
  });
});
