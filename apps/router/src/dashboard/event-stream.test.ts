import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { routerTotals } from '../router-totals.js';
import type { DashboardCharter } from './charts.js';
import { DashboardState } from './dashboard-state.js';
import { DashboardHub } from './event-stream.js';

/** A response that records what was written and returns `ready` from write(), like a socket that fills up. */
class FakeResponse extends EventEmitter {
  status = 0;
  ready = true;
  readonly writes: string[] = [];
  ended = false;
  writeHead(status: number): this {
    this.status = status;
    return this;
  }
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return this.ready;
  }
  end(chunk?: string): this {
    if (chunk !== undefined) this.writes.push(chunk);
    this.ended = true;
    this.emit('close');
    return this;
  }
  frames(): Array<{ sequence: number }> {
    return this.writes.filter((w) => w.startsWith('data: ')).map((w) => JSON.parse(w.slice(6)));
  }
}

const MODEL = {
  id: 'm',
  weightPrecision: 'fp32' as const,
  weightBytes: 1,
  kvBytesPerToken: 1,
  decodeFlops: () => 0,
  prefillFlops: () => 0,
};

function hub(onIdle = () => {}, maxViewers = 2) {
  let now = 0;
  const h = new DashboardHub({
    state: new DashboardState(MODEL),
    charter: { render: () => ({ plane: '<svg/>' }) } as unknown as DashboardCharter,
    gather: async () => ({ atSeconds: now, totals: routerTotals().snapshot(), workers: [], pool: null }),
    nowSeconds: () => now,
    intervalSeconds: 1,
    maxViewers,
    onIdle,
  });
  return {
    h,
    advance: async (seconds: number) => {
      now += seconds;
      await vi.advanceTimersByTimeAsync(seconds * 1000);
    },
  };
}

function connect(h: DashboardHub): FakeResponse {
  const res = new FakeResponse();
  h.subscribe(new EventEmitter() as unknown as IncomingMessage, res as unknown as ServerResponse);
  return res;
}

describe('DashboardHub (server-sent events)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a frame on connect and one per tick, the same frame to every viewer', async () => {
    const { h, advance } = hub();
    const a = connect(h);
    const b = connect(h);
    await advance(0);
    expect(a.status).toBe(200);
    expect(a.writes[0]).toBe('retry: 2000\n\n');
    await advance(1);
    await advance(1);
    expect(a.frames().map((f) => f.sequence)).toEqual([1, 2, 3]);
    expect(b.frames().map((f) => f.sequence)).toEqual([1, 2, 3]);
    expect(a.frames()[0]).toMatchObject({ charts: { plane: '<svg/>' }, workers: [] });
  });

  it('skips frames for a viewer whose socket has not drained, instead of queueing them', async () => {
    const { h, advance } = hub();
    const slow = connect(h);
    await advance(0);
    slow.ready = false;
    await advance(1); // written: write() answers false, the socket is now full
    await advance(1); // skipped
    await advance(1); // skipped
    expect(slow.frames().map((f) => f.sequence)).toEqual([1, 2]);
    expect(h.numDroppedFrames).toBe(2);
    slow.ready = true;
    slow.emit('drain');
    await advance(1);
    expect(slow.frames().map((f) => f.sequence)).toEqual([1, 2, 5]);
  });

  it('refuses more viewers than it serves with 503, and stops ticking when the last one leaves', async () => {
    let idle = 0;
    const { h, advance } = hub(() => {
      idle += 1;
    }, 1);
    const before = process.listenerCount('SIGTERM');
    const a = connect(h);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    const refused = connect(h);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.writes[0] ?? '{}').error.code).toBe('RESOURCE_EXHAUSTED');
    await advance(0);
    a.end();
    expect([h.numViewers, idle, process.listenerCount('SIGTERM')]).toEqual([0, 1, before]);
    await advance(5);
    expect(a.frames()).toHaveLength(1);
  });

  it('ends every stream on SIGTERM so draining the router does not wait for viewers', async () => {
    const { h, advance } = hub();
    const a = connect(h);
    await advance(0);
    // Call the hub's own listener (emitting a real SIGTERM here would reach the test runner's handlers too).
    const listener = process.listeners('SIGTERM').at(-1) as (signal: NodeJS.Signals) => void;
    listener('SIGTERM');
    expect([a.ended, h.numViewers]).toEqual([true, 0]);
  });
});
