import { describe, expect, it } from 'vitest';
import { context, request, worker } from '../testing-fixtures.js';
import type { RouteDecision } from '../types.js';
import { createRoutingPolicy } from './registry.js';

function make(name: string, params: unknown = {}) {
  const res = createRoutingPolicy(name, params);
  if (!res.ok) throw new Error(res.errors.join('\n'));
  return res.value;
}

function routed(d: RouteDecision) {
  if (d.kind !== 'route') throw new Error(`expected a route, got reject: ${d.message}`);
  return d;
}

describe('round-robin', () => {
  it('cycles decode and prefill workers in id order and skips unhealthy ones', () => {
    const policy = make('round-robin');
    const ws = [
      worker('d2'),
      worker('d1'),
      worker('d3', { healthy: false }),
      worker('p1', { role: 'prefill' }),
      worker('p2', { role: 'prefill' }),
    ];
    const picks = [0, 1, 2, 3].map(() => routed(policy.route(request(), context(ws))));
    expect(picks.map((p) => p.decodeWorkerId)).toEqual(['d1', 'd2', 'd1', 'd2']);
    expect(picks.map((p) => p.prefillWorkerId)).toEqual(['p1', 'p2', 'p1', 'p2']);
  });

  it('colocated mode never picks a prefill worker', () => {
    const d = routed(
      make('round-robin').route(
        request(),
        context([worker('d1'), worker('p1', { role: 'prefill' })], { mode: 'colocated' }),
      ),
    );
    expect(d.prefillWorkerId).toBeNull();
  });

  it('rejects with no-worker when no decode worker is healthy', () => {
    const d = make('round-robin').route(request(), context([worker('d1', { healthy: false })]));
    expect(d).toMatchObject({ kind: 'reject', reason: 'no-worker' });
  });
});

describe('least-loaded', () => {
  it('picks the worker with the fewest sequences', () => {
    const ws = [
      worker('d1', { numRunning: 4 }),
      worker('d2', { numRunning: 1, numWaiting: 1 }),
      worker('d3', { numRunning: 3 }),
    ];
    expect(routed(make('least-loaded').route(request(), context(ws))).decodeWorkerId).toBe('d2');
  });
});

describe('prefix-aware', () => {
  it('prefers the worker holding the prefix unless its queue outweighs it', () => {
    const policy = make('prefix-aware');
    const req = request({ workerPrefixBlocks: new Map([['d2', 10]]) });
    // d2: prefix 1.0 (weight 2), queue 1/(1+3) = 0.25 (weight 1) → (2 + 0.25)/3 = 0.75
    // d1: prefix 0, queue 1 → 1/3. d2 wins.
    const ws = [worker('d1'), worker('d2', { numRunning: 3 })];
    const d = routed(policy.route(req, context(ws)));
    expect(d.decodeWorkerId).toBe('d2');
    expect(d.reason).toBe('prefix-hit');
    // With queueWeight 10: d2 (2 + 2.5)/12 = 0.375, d1 10/12 = 0.83 → d1, a prefix miss.
    const heavy = routed(make('prefix-aware', { queueWeight: 10 }).route(req, context(ws)));
    expect(heavy.decodeWorkerId).toBe('d1');
    expect(heavy.reason).toBe('prefix-miss');
  });
});

describe('oicf-cost', () => {
  const prefill = (id: string, over = {}) => worker(id, { role: 'prefill', ...over });

  it('rejects with reason capacity when no decode worker can ever hold the KV', () => {
    // (1000 + 100) tokens × 1000 B = 1.1e6 B > 1e6 B capacity.
    const d = make('oicf-cost').route(request(), context([worker('d1', { kvBytesCapacity: 1e6 }), prefill('p1')]));
    expect(d.kind).toBe('reject');
    if (d.kind === 'reject') {
      expect(d.reason).toBe('capacity');
      expect(d.message).toContain('1100000 bytes');
    }
  });

  it('rejects with reason capacity when every decode worker is full right now', () => {
    const ws = [worker('d1', { kvBytesCapacity: 2e6, kvBytesUsed: 1e6 }), prefill('p1')];
    expect(make('oicf-cost').route(request(), context(ws))).toMatchObject({ kind: 'reject', reason: 'capacity' });
  });

  it('routes to a worker with room while another is full', () => {
    const ws = [
      worker('d1', { kvBytesCapacity: 2e6, kvBytesUsed: 1e6 }),
      worker('d2', { kvBytesCapacity: 2e6 }),
      prefill('p1'),
    ];
    expect(routed(make('oicf-cost').route(request(), context(ws))).decodeWorkerId).toBe('d2');
  });

  it('rejects with reason slo when the best predicted TTFT exceeds the SLO', () => {
    // Remote: queue 1e5 × 1e-4 = 10 s; local is not allowed (1000 uncached > 256).
    const ws = [worker('d1'), prefill('p1', { numQueuedPrefillTokens: 1e5 })];
    const d = make('oicf-cost', { sloTtftSeconds: 5 }).route(request(), context(ws));
    expect(d.kind).toBe('reject');
    if (d.kind === 'reject') {
      expect(d.reason).toBe('slo');
      expect(d.terms?.ttftSeconds).toBeGreaterThan(10);
    }
  });

  it('prefills locally when the uncached suffix is short, remotely when it is long', () => {
    // d1 holds 9 of 10 blocks: local uncached = 100 tokens ≤ 256 → local: queue 0 + prefill
    // 0.01 + 0.01 = 0.02 s, versus remote: prefill of 1000 tokens 0.11 s + handoff.
    const ws = [worker('d1'), prefill('p1')];
    const short = routed(make('oicf-cost').route(request({ workerPrefixBlocks: new Map([['d1', 9]]) }), context(ws)));
    expect(short.prefillWorkerId).toBeNull();
    expect(short.reason).toBe('local-prefill-short-suffix');
    expect(short.terms.ttftSeconds).toBeCloseTo(0.02, 12);
    const long = routed(make('oicf-cost').route(request(), context(ws)));
    expect(long.prefillWorkerId).toBe('p1');
    expect(long.reason).toBe('remote-prefill');
  });

  it('picks the prefill worker with the shorter queue', () => {
    const ws = [
      worker('d1'),
      prefill('p1', { numQueuedPrefillTokens: 5000 }),
      prefill('p2', { numQueuedPrefillTokens: 10 }),
    ];
    expect(routed(make('oicf-cost').route(request(), context(ws))).prefillWorkerId).toBe('p2');
  });
});

describe('registry', () => {
  it('lists valid names for an unknown policy and every bad parameter by path', () => {
    const unknown = createRoutingPolicy('fastest');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors[0]).toContain('valid: round-robin, least-loaded, prefix-aware, oicf-cost');
    const bad = createRoutingPolicy(
      'oicf-cost',
      { sloTtftSeconds: -1, maxLocalPrefillTokens: 'x', extra: 1 },
      'router.policy',
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors).toEqual([
        'router.policy.params.extra: unknown parameter (valid: sloTtftSeconds, maxLocalPrefillTokens)',
        'router.policy.params.sloTtftSeconds: must be ≥ 0 (got -1)',
        'router.policy.params.maxLocalPrefillTokens: must be a finite number',
      ]);
    }
  });
});
