import { realClock } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTarget, discoverModel } from './http-target.js';
import type { TargetEvent } from './target.js';
import { type FakeBehaviour, type FakeRouter, startFakeRouter } from './testing/fake-router.js';

const prompt = Array.from({ length: 130 }, (_v, i) => i % 256);

describe('createHttpTarget against a fake router', () => {
  let router: FakeRouter;
  const behaviours: FakeBehaviour[] = [];
  beforeAll(async () => {
    router = await startFakeRouter((_body, i) => behaviours[i] ?? {});
  });
  afterAll(() => router.close());

  async function send(
    behaviour: FakeBehaviour,
    extra: { sessionId?: string; signal?: AbortSignal; maxTokens?: number } = {},
  ) {
    behaviours[router.bodies.length] = behaviour;
    const target = createHttpTarget({ baseUrl: `${router.url}/`, model: 'tiny-gqa', clock: realClock });
    const events: TargetEvent[] = [];
    const request = {
      requestId: 'r',
      promptTokenIds: prompt,
      maxTokens: extra.maxTokens ?? 5,
      ...(extra.sessionId ? { sessionId: extra.sessionId } : {}),
    };
    for await (const e of target.send(request, extra.signal ?? new AbortController().signal)) events.push(e);
    return { events, body: router.bodies[router.bodies.length - 1] };
  }

  it('sends the contract body and reads tokens, usage and the oicf block', async () => {
    const { events, body } = await send({}, { sessionId: 'sess-1' });
    expect(body).toEqual({
      model: 'tiny-gqa',
      prompt,
      max_tokens: 5,
      ignore_eos: true,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
      session_id: 'sess-1',
    });
    expect(events.map((e) => e.kind)).toEqual(['token', 'token', 'token', 'token', 'token', 'final']);
    const final = events[5];
    if (final?.kind !== 'final') throw new Error('no final event');
    expect(final.finishReason).toBe('length');
    expect(final.usage).toEqual({ promptTokens: 130, completionTokens: 5, cachedTokens: 0 });
    expect(final.routing).toMatchObject({
      policy: 'prefix-aware',
      cacheSource: 'none',
      decodeWorkerId: 'decode-0',
      numCachedTokens: 0,
    });
    // Event times never go backwards.
    const times = events.map((e) => e.atSeconds);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('the second identical prompt reports its cached prefix (two full 64-token blocks of 130)', async () => {
    const { events } = await send({});
    const final = events.at(-1);
    expect(final).toMatchObject({ kind: 'final', usage: { cachedTokens: 128 }, routing: { cacheSource: 'worker' } });
  });

  it('reads events split across many small writes the same way', async () => {
    const { events } = await send({ splitWrites: true }, { maxTokens: 3 });
    expect(events.map((e) => e.kind)).toEqual(['token', 'token', 'token', 'final']);
    expect(events.at(-1)).toMatchObject({ usage: { completionTokens: 3 } });
  });

  it.each([
    [{ reject: 'slo' as const }, 429, 'slo', /rejected: slo \(Retry-After: 1\)/],
    [{ reject: 'capacity' as const }, 429, 'capacity', /rejected: capacity/],
  ])('a reject becomes one error event with the status and reason (%j)', async (behaviour, status, code, message) => {
    const { events } = await send(behaviour);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'error', httpStatus: status, code });
    expect((events[0] as { message: string }).message).toMatch(message);
  });

  it('a stream that breaks off is an error, not a success', async () => {
    const { events } = await send({ dropAfterTokens: 2 });
    expect(events.filter((e) => e.kind === 'token')).toHaveLength(2);
    const last = events.at(-1);
    expect(last?.kind).toBe('error');
    expect(['network', 'incomplete-stream']).toContain((last as { code: string }).code);
  });

  it('abort ends the iteration without a final event', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 60);
    const { events } = await send({ gapMs: 40 }, { signal: controller.signal, maxTokens: 50 });
    expect(events.some((e) => e.kind === 'final' || e.kind === 'error')).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000); // not the 2 s the full stream would take
  });

  it('a 400 names the code; an unreachable router is a network error', async () => {
    const bad = createHttpTarget({ baseUrl: router.url, model: 'nope', clock: realClock });
    const events: TargetEvent[] = [];
    for await (const e of bad.send({ requestId: 'x', promptTokenIds: [1], maxTokens: 1 }, new AbortController().signal))
      events.push(e);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'error',
        httpStatus: 400,
        code: 'INVALID_ARGUMENT',
        message: 'model must be tiny-gqa',
      }),
    ]);
    const gone = createHttpTarget({ baseUrl: 'http://127.0.0.1:1', model: 'm', clock: realClock });
    const failures: TargetEvent[] = [];
    for await (const e of gone.send(
      { requestId: 'x', promptTokenIds: [1], maxTokens: 1 },
      new AbortController().signal,
    ))
      failures.push(e);
    expect(failures).toEqual([expect.objectContaining({ kind: 'error', httpStatus: null, code: 'network' })]);
  });

  it('discoverModel reads GET /v1/models', async () => {
    await expect(discoverModel(router.url)).resolves.toBe('tiny-gqa');
    await expect(discoverModel('http://127.0.0.1:1')).rejects.toThrow(
      /cannot reach the router at http:\/\/127\.0\.0\.1:1\/v1\/models/,
    );
  });
});
