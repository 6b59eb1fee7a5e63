import { describe, expect, it } from 'vitest';
import { ClusterEventsReader } from './cluster-events.js';

describe('ClusterEventsReader', () => {
  it('reads only the events after the replay started, timed from its start', async () => {
    const asked: string[] = [];
    const pages: Record<string, unknown> = {
      [`r/v1/oicf/events?after=${Number.MAX_SAFE_INTEGER}`]: { events: [], lastSeq: 7, numDropped: 0 },
      'r/v1/oicf/events?after=7': {
        events: [
          {
            seq: 8,
            atUnixMs: 10_500,
            workerId: 'decode-0',
            kind: 'heartbeat-timeout',
            detail: 'no heartbeat for 3.0 s',
          },
        ],
        lastSeq: 8,
        numDropped: 0,
      },
    };
    const reader = new ClusterEventsReader('r', async (url) => {
      asked.push(url);
      return pages[url] ?? null;
    });
    await reader.start();
    // The replay started at 10,000 ms: the event came 0.5 s into it.
    expect(await reader.collect(10_000)).toEqual({
      events: [{ atSeconds: 0.5, workerId: 'decode-0', kind: 'heartbeat-timeout', detail: 'no heartbeat for 3.0 s' }],
      numDropped: 0,
    });
    expect(asked).toEqual([`r/v1/oicf/events?after=${Number.MAX_SAFE_INTEGER}`, 'r/v1/oicf/events?after=7']);
  });

  it('is null when the router does not serve events', async () => {
    const reader = new ClusterEventsReader('r', async () => null);
    await reader.start();
    expect(await reader.collect(0)).toBeNull();
  });
});
