// The twin's client against @oicf/loadgen's runDriver on one scripted target: the same records, field by
// field (open loop with a concurrency cap, closed loop with tool gaps, a 429), so the twin's requests are
// sent when `oicf replay` would send them and recorded as it records them.
import { runDriver } from '@oicf/loadgen';
import { type Script, scriptedTarget } from '@oicf/loadgen/testing';
import type { ReplayRequestRecord } from '@oicf/report';
import type { TraceRequest } from '@oicf/traces';
import { FakeClock } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../core/event-queue.js';
import { SimClient, type SimTarget } from './sim-client.js';

const script = (r: { requestId: string }): Script => {
  const n = Number(r.requestId.replace(/\D/g, '')) || 0;
  if (r.requestId === 'x3') return { ttftSeconds: 0, gapSeconds: 0, numTokens: 0, reject: 'capacity' };
  return { ttftSeconds: 0.1 + 0.03 * (n % 4), gapSeconds: 0.02 + 0.01 * (n % 3), numTokens: 1 + (n % 5) };
};

/** The scripted target's answers as twin events: tokens at their times, the final at the last token's. */
function simTarget(queue: EventQueue): SimTarget {
  return {
    send: ({ request }, events) => {
      const s = script(request);
      const t0 = queue.nowSeconds;
      if (s.reject !== undefined) {
        events.onError(429, s.reject, `rejected: ${s.reject}`);
        return;
      }
      let at = t0;
      for (let i = 0; i < s.numTokens; i++) {
        at += i === 0 ? s.ttftSeconds : s.gapSeconds;
        events.onToken(1, at);
      }
      queue.at(at, () =>
        events.onFinal({
          finishReason: 'length',
          usage: { promptTokens: request.inputTokens, completionTokens: s.numTokens, cachedTokens: 0 },
          routing: null,
        }),
      );
    },
  };
}

const requests = (loop: 'open' | 'closed'): TraceRequest[] =>
  Array.from({ length: 12 }, (_, i) => ({
    requestId: `x${i}`,
    arrivalSeconds: 0.05 * i,
    inputTokens: 10 + i,
    outputTokens: 1 + (i % 5),
    ...(loop === 'closed'
      ? {
          sessionId: `s${i % 3}`,
          turnIndex: Math.floor(i / 3),
          // Gaps differ per session: two turns never fall due at the same instant. (At an exact tie the twin
          // goes by scheduling order, the driver by its promises' order; real latencies never tie.)
          ...(i >= 3 ? { gapAfterPreviousSeconds: 0.07 + 0.013 * (i % 3) } : {}),
        }
      : {}),
  }));

async function viaDriver(loop: 'open' | 'closed', limit: number | null): Promise<ReplayRequestRecord[]> {
  const clock = new FakeClock(0);
  const target = scriptedTarget(clock, (r) => script(r));
  const done = runDriver({
    requests: requests(loop),
    loop,
    speed: 1,
    concurrencyLimit: limit,
    target,
    clock,
    signal: new AbortController().signal,
    toTargetRequest: (r) => ({
      requestId: r.requestId,
      promptTokenIds: new Array(r.inputTokens).fill(1),
      maxTokens: Math.max(1, r.outputTokens),
    }),
  });
  // Advance in small steps, letting the driver register its sleeps between them (a FakeClock wakes every
  // sleeper at its own deadline within a step, so times stay exact).
  let finished = false;
  const result = done.then((r) => {
    finished = true;
    return r;
  });
  for (let i = 0; i < 100_000 && !finished; i++) {
    await new Promise((r) => setImmediate(r));
    await clock.advance(0.001);
  }
  return (await result).records;
}

function viaTwin(loop: 'open' | 'closed', limit: number | null): ReplayRequestRecord[] {
  const queue = new EventQueue();
  const client = new SimClient(queue, simTarget(queue), {
    requests: requests(loop),
    loop,
    speed: 1,
    concurrencyLimit: limit,
  });
  client.start();
  while (!client.done && queue.step()) {}
  return client.result().records;
}

/** Records with every number rounded to 1e-9 s (the fake clock sums its sleeps in another order). */
const rounded = (records: readonly ReplayRequestRecord[]) =>
  JSON.parse(JSON.stringify(records, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));

describe('SimClient follows runDriver', () => {
  it.each([
    ['open', null],
    ['open', 2],
    ['closed', null],
    ['closed', 2],
  ] as const)('%s loop, concurrency %s: the same records', async (loop, limit) => {
    const twin = viaTwin(loop, limit);
    expect(rounded(twin)).toEqual(rounded(await viaDriver(loop, limit)));
    expect(twin.map((r) => r.status)).toContain('rejected');
    if (limit !== null) expect(twin.some((r) => r.slotWaitSeconds > 0)).toBe(true);
  });
});
