// Client ids are labels (issue 14, "request_id reuse", "10k-char request_id"): the router assigns the id
// every worker call and cancel uses, so two clients sending the same request_id never touch each other's
// work; oversized ids and session TTLs are refused at the front door before any worker is called.
import { loadProto, type RouterClient } from '@oicf/proto';
import { createGrpcClient, serverStreamCall } from '@oicf/transport';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApiErrorBody,
  jsonOf,
  postJson,
  startTestRouter,
  type TestRouter,
  waitUntil,
} from './testing/router-harness.js';

let t: TestRouter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('client ids', () => {
  it("reusing another client's request_id cancels only one's own stream", async () => {
    t = await startTestRouter();
    const d0 = await t.addWorker({
      workerId: 'decode-0',
      role: 'decode',
      text: 'y'.repeat(40),
      tokenIntervalSeconds: 0.02,
    });
    const client: RouterClient = createGrpcClient(loadProto().Router, t.grpcAddress);
    const request = { requestId: 'shared', text: 'go', maxTokens: 30, stream: true };
    const aborter = new AbortController();
    const victim = (async () => {
      const texts: string[] = [];
      for await (const c of serverStreamCall(client, 'Generate', request)) texts.push(c.text);
      return texts.join('');
    })();
    const attacker = (async () => {
      try {
        for await (const _ of serverStreamCall(client, 'Generate', request, { signal: aborter.signal }))
          aborter.abort();
      } catch {
        // cancelled by its own client
      }
    })();
    await attacker;
    await waitUntil(() => d0.calls.cancel.length === 1, 3, "the attacker's Cancel");
    // 30 tokens of the script: the victim's stream is untouched.
    expect(await victim).toBe('y'.repeat(30));
    const ids = d0.calls.decode.map((d) => d.requestId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(ids).not.toContain('shared');
    expect(d0.calls.cancel.map((c) => c.requestId)).toEqual([d0.cancelledStreams[0]]);
    client.close();
  });

  it('a 10,000-character request_id is INVALID_ARGUMENT before any worker call', async () => {
    t = await startTestRouter();
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const client: RouterClient = createGrpcClient(loadProto().Router, t.grpcAddress);
    const run = async () => {
      for await (const _ of serverStreamCall(client, 'Generate', {
        requestId: 'r'.repeat(10_000),
        text: 'go',
        maxTokens: 3,
      })) {
        // no chunk expected
      }
    };
    await expect(run()).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'request_id',
      message: expect.stringMatching(/request_id is 10000 characters; at most 256/),
    });
    expect(d0.calls.decode).toHaveLength(0);
    client.close();
  });

  it('HTTP: an oversized session id header or user, and a session TTL past the cap, are 400s naming the field', async () => {
    t = await startTestRouter({ maxSessionTtlSeconds: 600 });
    const d0 = await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const url = `${t.url}/v1/completions`;
    const cases: Array<[Record<string, unknown>, Record<string, string>, string]> = [
      [{ session_ttl_seconds: 601 }, {}, 'session_ttl_seconds'],
      [{ user: 'u'.repeat(257) }, {}, 'user'],
      [{}, { 'x-oicf-session-id': 's'.repeat(300) }, 'x-oicf-session-id'],
      [{ session_id: 's'.repeat(10_000) }, {}, 'session_id'],
    ];
    for (const [body, headers, param] of cases) {
      const res = await postJson(url, { model: 'tiny-gqa', prompt: 'x', max_tokens: 1, ...body }, headers);
      expect([res.status, (await jsonOf<ApiErrorBody>(res)).error.param]).toEqual([400, param]);
    }
    // At the cap it is accepted.
    const ok = await postJson(url, { model: 'tiny-gqa', prompt: 'x', max_tokens: 1, session_ttl_seconds: 600 });
    expect(ok.status).toBe(200);
    expect(d0.calls.decode).toHaveLength(1);
  });
});
