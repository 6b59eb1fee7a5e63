import { summarizeReplay } from '@oicf/report';
import type { TraceRequest } from '@oicf/traces';
import { FakeClock } from '@oicf/transport';
import { describe, expect, it } from 'vitest';
import { type DriverOptions, type DriverProgress, runDriver } from './driver.js';
import { type Script, scriptedTarget } from './testing/scripted-target.js';

const req = (requestId: string, arrivalSeconds: number, extra: Partial<TraceRequest> = {}): TraceRequest => ({
  requestId,
  arrivalSeconds,
  inputTokens: 8,
  outputTokens: 3,
  ...extra,
});

/** Runs the driver on a fake clock, advancing it far enough for everything to finish. */
async function drive(
  requests: TraceRequest[],
  script: Script | ((id: string) => Script),
  options: Partial<DriverOptions> & { abortAtSeconds?: number } = {},
) {
  const clock = new FakeClock(100); // a non-zero origin: records must be relative to the start
  const target = scriptedTarget(clock, (r) => (typeof script === 'function' ? script(r.requestId) : script));
  const controller = new AbortController();
  const progress: DriverProgress[] = [];
  const done = runDriver({
    requests,
    loop: 'open',
    speed: 1,
    concurrencyLimit: null,
    target,
    clock,
    signal: controller.signal,
    toTargetRequest: (r) => ({ requestId: r.requestId, promptTokenIds: [1, 2], maxTokens: r.outputTokens }),
    onProgress: (p) => progress.push(p),
    ...options,
  });
  await new Promise((r) => setImmediate(r));
  if (options.abortAtSeconds !== undefined) {
    await clock.advance(options.abortAtSeconds);
    controller.abort();
    // Let the cancellation run before time moves on.
    await new Promise((r) => setImmediate(r));
  }
  await clock.advance(1000);
  const result = await done;
  return { result, target, progress };
}

// 3 tokens: first after 0.1 s, then two 0.05 s gaps → e2e 0.2 s, TPOT (0.2 − 0.1) / 2 = 0.05 s.
const FAST: Script = { ttftSeconds: 0.1, gapSeconds: 0.05, numTokens: 3 };

describe('runDriver, open loop', () => {
  it('sends at (arrival − first arrival) ÷ speed', async () => {
    // Trace arrivals 10, 11, 11, 14 at speed 2 → 0, 0.5, 0.5, 2 s after the start.
    const { result, target } = await drive([req('d', 14), req('a', 10), req('b', 11), req('c', 11)], FAST, {
      speed: 2,
    });
    expect(target.arrivals).toEqual([
      { requestId: 'a', atSeconds: 100 },
      { requestId: 'b', atSeconds: 100.5 },
      { requestId: 'c', atSeconds: 100.5 },
      { requestId: 'd', atSeconds: 102 },
    ]);
    expect(result.records.map((r) => [r.requestId, r.scheduledSeconds, r.sentSeconds])).toEqual([
      ['a', 0, 0],
      ['b', 0.5, 0.5],
      ['c', 0.5, 0.5],
      ['d', 2, 2],
    ]);
    const a = result.records[0];
    expect(a?.status).toBe('ok');
    expect(a?.ttftSeconds).toBeCloseTo(0.1, 9);
    expect(a?.e2eSeconds).toBeCloseTo(0.2, 9);
    expect(a?.tpotSeconds).toBeCloseTo(0.05, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.05, 0.05]);
    expect(a?.numOutputTokens).toBe(3);
    // The last request ends at 2 + 0.2 s.
    expect(result.durationSeconds).toBeCloseTo(2.2, 9);
    expect(result.interrupted).toBe(false);
  });

  it('caps concurrency: later requests wait FIFO, and the wait is recorded', async () => {
    // Four requests due at 0 with 2 slots, each taking 1 s (ttft 0.5 + 2 × 0.25):
    // a, b at 0; c, d get the slots a, b free at 1 s, waiting 1 s each.
    const slow: Script = { ttftSeconds: 0.5, gapSeconds: 0.25, numTokens: 3 };
    const { result, target, progress } = await drive(
      ['a', 'b', 'c', 'd'].map((id) => req(id, 0)),
      slow,
      { concurrencyLimit: 2 },
    );
    expect(target.maxInFlight()).toBe(2);
    expect(result.records.map((r) => [r.requestId, r.sentSeconds, r.slotWaitSeconds])).toEqual([
      ['a', 0, 0],
      ['b', 0, 0],
      ['c', 1, 1],
      ['d', 1, 1],
    ]);
    // TTFT counts from the send, not from the due time.
    expect(result.records.map((r) => r.ttftSeconds)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Math.max(...result.clientTimeline.map((p) => p.numInFlight))).toBe(2);
    expect(Math.max(...result.clientTimeline.map((p) => p.numWaitingForSlot))).toBe(2);
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({ numFinished: 4, numOk: 4, numInFlight: 0, numWaitingForSlot: 0, numOutputTokens: 12 });
    expect(last?.ttftP50Seconds).toBe(0.5);
  });

  it('reports the running median TTFT by the one percentile rule (lower middle of an even count)', async () => {
    // TTFTs 0.4, 0.1, 0.3, 0.2 s (one token each), all sent at 0: they finish in the order b, d, c, a.
    // After b: [0.1] → 0.1; after d: [0.1, 0.2] → ⌈0.5 · 2⌉ = 1st = 0.1; after c: [0.1, 0.2, 0.3] → 2nd = 0.2;
    // after a: [0.1, 0.2, 0.3, 0.4] → ⌈2⌉ = 2nd = 0.2.
    const ttft: Record<string, number> = { a: 0.4, b: 0.1, c: 0.3, d: 0.2 };
    const { progress } = await drive(
      ['a', 'b', 'c', 'd'].map((id) => req(id, 0, { outputTokens: 1 })),
      (id) => ({ ttftSeconds: ttft[id] as number, gapSeconds: 0, numTokens: 1 }),
    );
    const medians = progress
      .filter((p, i) => i === 0 || p.numOk !== progress[i - 1]?.numOk)
      .map((p) => (p.ttftP50Seconds === null ? null : Number(p.ttftP50Seconds.toFixed(9))));
    expect(medians).toEqual([null, 0.1, 0.1, 0.2, 0.2]);
  });

  it('records 429s with their reason, and the summary counts them by reason', async () => {
    const scripts: Record<string, Script> = {
      a: FAST,
      b: { ...FAST, reject: 'slo' },
      c: { ...FAST, reject: 'capacity' },
      d: { ...FAST, reject: 'slo' },
    };
    const { result } = await drive(
      ['a', 'b', 'c', 'd'].map((id, i) => req(id, i)),
      (id) => scripts[id] as Script,
    );
    expect(result.records.map((r) => [r.requestId, r.status, r.httpStatus, r.errorCode])).toEqual([
      ['a', 'ok', 200, null],
      ['b', 'rejected', 429, 'slo'],
      ['c', 'rejected', 429, 'capacity'],
      ['d', 'rejected', 429, 'slo'],
    ]);
    const summary = summarizeReplay(
      {
        meta: {} as never,
        numPlanned: result.numPlanned,
        durationSeconds: result.durationSeconds,
        interrupted: false,
        records: result.records,
        clientTimeline: result.clientTimeline,
        metrics: { targets: [], before: null, during: [], after: null },
      },
      { ttftSeconds: null, tpotSeconds: null },
    );
    expect(summary.rejectsByReason).toEqual([
      { key: 'slo', value: 2 },
      { key: 'capacity', value: 1 },
    ]);
  });

  it('Ctrl-C: nothing new is sent, in-flight requests end cancelled, the started ones are kept', async () => {
    // Due at 0, 5, 10, each taking 3 s. Abort at 6: a done at 3, b in flight since 5, c never sent.
    const long: Script = { ttftSeconds: 1, gapSeconds: 1, numTokens: 3 };
    const { result, target } = await drive([req('a', 0), req('b', 5), req('c', 10)], long, { abortAtSeconds: 6 });
    expect(target.arrivals.map((a) => a.requestId)).toEqual(['a', 'b']);
    expect(result.interrupted).toBe(true);
    expect(result.numPlanned).toBe(3);
    expect(result.records.map((r) => [r.requestId, r.status, r.sentSeconds, r.finishedSeconds])).toEqual([
      ['a', 'ok', 0, 3],
      ['b', 'cancelled', 5, 6],
    ]);
    expect(result.durationSeconds).toBe(6);
  });

  it('Ctrl-C also releases requests waiting for a slot', async () => {
    const long: Script = { ttftSeconds: 5, gapSeconds: 1, numTokens: 1 };
    const { result } = await drive([req('a', 0), req('b', 0)], long, { concurrencyLimit: 1, abortAtSeconds: 1 });
    expect(result.records.map((r) => [r.requestId, r.status, r.sentSeconds, r.slotWaitSeconds])).toEqual([
      ['a', 'cancelled', 0, 0],
      ['b', 'cancelled', null, 1],
    ]);
  });
});

describe('runDriver, closed loop', () => {
  // Session a: turns at trace times 0, 10, 20 with tool gaps 2 s and 1 s; session b starts at 1.
  const trace = [
    req('a/0', 0, { sessionId: 'a', turnIndex: 0 }),
    req('a/1', 10, { sessionId: 'a', turnIndex: 1, gapAfterPreviousSeconds: 2 }),
    req('a/2', 20, { sessionId: 'a', turnIndex: 2, gapAfterPreviousSeconds: 1 }),
    req('b/0', 1, { sessionId: 'b', turnIndex: 0 }),
  ];
  // Every turn takes 1 s: ttft 0.5 + 2 × 0.25.
  const oneSecond: Script = { ttftSeconds: 0.5, gapSeconds: 0.25, numTokens: 3 };

  it.each([
    // speed 1: a/0 0 → 1; a/1 at 1 + 2 = 3 → 4; a/2 at 4 + 1 = 5. The recorded 10 and 20 are ignored.
    // Records come in plan order (recorded arrival): a/0, b/0, a/1, a/2.
    [
      1,
      [
        ['a/0', 0],
        ['b/0', 1],
        ['a/1', 3],
        ['a/2', 5],
      ],
    ],
    // speed 2 halves start times and gaps, not service times: a/1 at 1 + 1 = 2 → 3; a/2 at 3 + 0.5.
    [
      2,
      [
        ['a/0', 0],
        ['b/0', 0.5],
        ['a/1', 2],
        ['a/2', 3.5],
      ],
    ],
  ])('speed %d: next turn = previous completion + gap ÷ speed', async (speed, expected) => {
    const { result } = await drive(trace, oneSecond, { loop: 'closed', speed });
    expect(result.records.map((r) => [r.requestId, r.sentSeconds])).toEqual(expected);
    expect(result.records.every((r) => r.status === 'ok')).toBe(true);
  });

  it('waits for a slow completion before the next turn', async () => {
    // a/0 takes 4 s (ttft 2 + 2 × 1): a/1 goes at 4 + 2 = 6, not at its recorded 10 nor at 0 + 2.
    const { result } = await drive(
      trace.slice(0, 2),
      { ttftSeconds: 2, gapSeconds: 1, numTokens: 3 },
      { loop: 'closed' },
    );
    expect(result.records.map((r) => [r.requestId, r.sentSeconds])).toEqual([
      ['a/0', 0],
      ['a/1', 6],
    ]);
  });
});
