// Worker events through the real router (issue 16.6): a worker registered over the real gRPC Registry that
// stops heartbeating turns up in GET /v1/oicf/events as a heartbeat-timeout, with its worker id and the wall-
// clock time the router noticed it, and its next heartbeat as healthy again, the page a replay report reads.
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerEvent, WorkerEventsPage } from './registry/worker-events.js';
import { jsonOf, startTestRouter, type TestRouter, waitUntil } from './testing/router-harness.js';

let t: TestRouter | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

// Long enough that a loaded machine does not starve decode-0's 50 ms heartbeats into a timeout of its own.
const TIMEOUT_SECONDS = 1;

const eventsAfter = (router: TestRouter, seq: number) =>
  jsonOf<WorkerEventsPage>(fetch(`${router.url}/v1/oicf/events?after=${seq}`));

describe('GET /v1/oicf/events', () => {
  it('records a worker whose heartbeats stop as a heartbeat-timeout with its time and id, then healthy again', async () => {
    t = await startTestRouter({
      heartbeatIntervalSeconds: 0.05,
      workerTimeoutSeconds: TIMEOUT_SECONDS,
      workerDropSeconds: 30,
    });
    const router = t;
    await t.addWorker({ workerId: 'decode-0', role: 'decode' });
    const d1 = await t.addWorker({ workerId: 'decode-1', role: 'decode' });
    const start = await eventsAfter(router, 0);
    // Both registrations, in order, and nothing else yet.
    expect(start.events.map((e) => [e.workerId, e.kind])).toEqual([
      ['decode-0', 'registered'],
      ['decode-1', 'registered'],
    ]);

    // decode-1's last heartbeat reaches the router after `beatMs`, then it goes silent.
    const beatMs = Date.now();
    await d1.heartbeat();
    d1.stopHeartbeats();
    let timeout: WorkerEvent | undefined;
    await waitUntil(
      async () => {
        const events = (await eventsAfter(router, start.lastSeq)).events;
        timeout = events.find((e) => e.workerId === 'decode-1' && e.kind === 'heartbeat-timeout');
        return timeout !== undefined;
      },
      5,
      'a heartbeat-timeout event',
    );
    const seenMs = Date.now();
    const page = await eventsAfter(router, start.lastSeq);
    expect(page.numDropped).toBe(0);
    // The silent worker's one event since registering is this timeout (decode-0 keeps heartbeating).
    expect(page.events.filter((x) => x.workerId === 'decode-1')).toEqual([timeout]);
    const e = timeout as WorkerEvent;
    expect(e.seq).toBeGreaterThan(start.lastSeq);
    expect(page.lastSeq).toBeGreaterThanOrEqual(e.seq);
    // Its time: no earlier than the last heartbeat + the timeout (the router cannot call a worker silent
    // sooner), no later than when this test saw it. The router judges silence on its monotonic clock and
    // stamps events with the wall clock; 5 ms covers both clocks' millisecond rounding and slew.
    expect(e.atUnixMs).toBeGreaterThanOrEqual(beatMs + TIMEOUT_SECONDS * 1000 - 5);
    expect(e.atUnixMs).toBeLessThanOrEqual(seenMs);
    const silentSeconds = Number(/^no heartbeat for ([\d.]+) s$/.exec(e.detail)?.[1]);
    expect(silentSeconds).toBeGreaterThanOrEqual(TIMEOUT_SECONDS);

    // One heartbeat: the next sweep records it healthy again, after the timeout (it is silent again after
    // that, so only the first event after the timeout is asserted).
    await d1.heartbeat();
    let back: readonly WorkerEvent[] = [];
    await waitUntil(
      async () => {
        back = (await eventsAfter(router, e.seq)).events.filter((x) => x.workerId === 'decode-1');
        return back.length > 0;
      },
      5,
      'decode-1’s next event',
    );
    expect(back[0]?.kind).toBe('healthy');
    expect(back[0]?.atUnixMs).toBeGreaterThanOrEqual(e.atUnixMs);
  });
});
