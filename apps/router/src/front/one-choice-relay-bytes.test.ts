// A one-choice request answers with the same bytes whether the pipeline calls its reply writer itself
// (the one-choice relay, the default) or its events are pulled through the pipeline's async generator (as
// n > 1 and the gRPC/WebSocket doors do; `oneChoiceRelay: false`): the same requests on one keep-alive
// connection to a router of each kind give the same status lines, headers, bodies and framing (JSON
// replies; SSE streams with their finish reasons, usage chunk and [DONE]; a stop string; the worker's error
// in a stream and as a reply), and the same request counters on /metrics. Values that differ per request by
// design are masked: the Date header, request ids, `created` and the measured times in `oicf`.
import { afterEach, describe, expect, it } from 'vitest';
import { type RawResponse, rawConnect, rawPost, splitResponses } from '../testing/raw-http.js';
import { startTestRouter, type TestRouter } from '../testing/router-harness.js';

const routers: TestRouter[] = [];
afterEach(async () => {
  await Promise.all(routers.splice(0).map((r) => r.close()));
});

const mask = (s: string) =>
  s
    .replace(/\r\nDate: [^\r]*/g, '\r\nDate: <date>')
    .replace(/\r\ncontent-length: \d+/g, '\r\ncontent-length: <n>')
    .replace(/[0-9a-f]{32}/g, '<id>')
    .replace(/"created":\d+/g, '"created":<s>')
    .replace(/"((?:ttft|e2e|queue|prefill|kv_transfer|decode)_seconds)":[0-9.e-]+/g, '"$1":<t>');

const body = (b: Record<string, unknown>) => JSON.stringify({ model: 'tiny-gqa', ...b });
const chat = (b: Record<string, unknown>) => body({ messages: [{ role: 'user', content: 'hi' }], ...b });

/** Sends every request on one connection, in turn; returns each raw response (masked). */
async function exchange(t: TestRouter, requests: string[]): Promise<string[]> {
  const conn = await rawConnect(t.url);
  const out: string[] = [];
  for (const r of requests) {
    conn.write(r);
    const last = (await conn.responses(out.length + 1)).at(-1) as RawResponse;
    out.push(mask(`${last.head}\r\n\r\n${last.body}`));
  }
  await new Promise((r) => setTimeout(r, 20));
  expect(splitResponses(conn.received()).length).toBe(requests.length);
  conn.socket.destroy();
  return out;
}

/** The router's request counters (handled by door and status, routed, kv moved) from /metrics. */
async function counters(t: TestRouter): Promise<string[]> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  return text.split('\n').filter((l) => /^[a-z_]*(handled|routed|kv_moved)[a-z_]*[{ ]/.test(l));
}

async function pair(worker: Parameters<TestRouter['addWorker']>[0]): Promise<[TestRouter, TestRouter]> {
  const relay = await startTestRouter({ oneChoiceRelay: true });
  const pulled = await startTestRouter({ oneChoiceRelay: false });
  routers.push(relay, pulled);
  for (const t of [relay, pulled]) await t.addWorker(worker);
  return [relay, pulled];
}

describe('one-choice relay replies', () => {
  it('are the bytes of the generator path, for replies, streams, stop strings and finish reasons', async () => {
    const [relay, pulled] = await pair({ workerId: 'decode-0', role: 'decode', text: 'héllo' });
    const requests = [
      // 'héllo' is 6 bytes then EOS: max_tokens 3 ends on length, 20 on the worker's stop.
      rawPost('/v1/completions', body({ prompt: 'hi', max_tokens: 3, temperature: 0 })),
      rawPost('/v1/completions', body({ prompt: 'hi', max_tokens: 20, temperature: 0 })),
      rawPost('/v1/chat/completions', chat({ max_tokens: 20, temperature: 0 })),
      rawPost('/v1/completions', body({ prompt: 'hi', max_tokens: 20, stop: ['ll'] })),
      rawPost('/v1/completions', body({ prompt: 'hi', max_tokens: 20, logprobs: 2 })),
      rawPost('/v1/completions', body({ prompt: 'hi', max_tokens: 6, stream: true, temperature: 0 })),
      rawPost('/v1/chat/completions', chat({ max_tokens: 20, stream: true, stream_options: { include_usage: true } })),
      rawPost('/v1/chat/completions', chat({ max_tokens: 20, stream: true, stop: ['l'], logprobs: true })),
    ];
    const viaRelay = await exchange(relay, requests);
    const viaPulled = await exchange(pulled, requests);
    expect(viaRelay).toEqual(viaPulled);
    expect(viaRelay.map((r) => r.slice(0, r.indexOf('\r\n')))).toEqual(Array(8).fill('HTTP/1.1 200 OK'));
    // The cases exercise what they name: both finish reasons, the stop string cut, the usage chunk.
    expect(viaRelay[0]).toContain('"finish_reason":"length"');
    expect(viaRelay[1]).toContain('"text":"héllo","logprobs":null,"finish_reason":"stop"');
    expect(viaRelay[3]).toContain('"text":"hé","logprobs":null,"finish_reason":"stop"');
    expect(viaRelay[6]).toContain('"choices":[],"usage":{');
    expect(viaRelay[7]).toContain('data: [DONE]');
    expect(await counters(relay)).toEqual(await counters(pulled));
    expect((await counters(relay)).some((l) => l.includes('status="200"') && / 8$/.test(l))).toBe(true);
  });

  it('are the bytes of the generator path when the worker fails the decode', async () => {
    const decodeError = { code: 'RESOURCE_EXHAUSTED', message: 'batch full' };
    const [relay, pulled] = await pair({ workerId: 'decode-0', role: 'decode', decodeError });
    const requests = [
      rawPost('/v1/completions', body({ prompt: 'hi', max_tokens: 3 })),
      rawPost('/v1/completions', body({ prompt: 'hi', max_tokens: 3, stream: true })),
    ];
    const viaRelay = await exchange(relay, requests);
    const viaPulled = await exchange(pulled, requests);
    expect(viaRelay).toEqual(viaPulled);
    expect(viaRelay[0]).toMatch(/^HTTP\/1\.1 (429|503) /);
    expect(viaRelay[0]).toContain('batch full');
    // A stream's head is out before the decode starts: the error arrives as its SSE event, then [DONE].
    expect(viaRelay[1]).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*data: \{"error":\{[\s\S]*batch full[\s\S]*data: \[DONE\]/,
    );
    expect(await counters(relay)).toEqual(await counters(pulled));
  });
});
