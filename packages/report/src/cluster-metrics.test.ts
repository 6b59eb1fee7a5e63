import type { PromSample } from '@oicf/metrics/prometheus-text';
import { describe, expect, it } from 'vitest';
import { summarizeClusterMetrics } from './cluster-metrics.js';
import { componentOf } from './metric-queries.js';
import type { MetricsSnapshot, ScrapeResult, ScrapeTarget } from './metrics-snapshot.js';

const target = (name: string): ScrapeTarget => ({ name, url: `http://127.0.0.1/${name}/metrics` });
const s = (name: string, value: number, labels: Record<string, string> = {}): PromSample => ({ name, labels, value });
const ok = (name: string, samples: PromSample[]): ScrapeResult => ({ target: target(name), ok: true, samples });
const snap = (atSeconds: number, results: ScrapeResult[]): MetricsSnapshot => ({ atSeconds, results });

const HIT = 'oicf_kvpool_prefix_hit_blocks_total';
const QUERIED = 'oicf_kvpool_prefix_queried_blocks_total';
const REUSED = 'oicf_decode_prefix_reused_tokens_total';
const COMPUTED = 'oicf_decode_computed_tokens_total';
const CF = 'oicf_decode_capacity_footprint_bytes';
const WAIT = 'oicf_decode_waiting_requests';
const OI = 'oicf_decode_counted_intensity_flops_per_byte';

const before = snap(-0.1, [
  ok('kv-pool', [s(HIT, 10, { tier: 'dram' }), s(HIT, 2, { tier: 'cxl' }), s(QUERIED, 20)]),
  ok('decode-0', [s(REUSED, 100, { source: 'local' }), s(COMPUTED, 200)]),
  ok('decode-1', [s(REUSED, 0, { source: 'pool' }), s(COMPUTED, 0)]),
]);
const during = [1, 2, 3].map((t, i) =>
  snap(t, [
    ok('decode-0', [
      s(WAIT, [0, 4, 1][i] as number),
      s(CF, [0, 1000, 3000][i] as number),
      s(OI, [0, 2, 4][i] as number),
    ]),
  ]),
);
const after = snap(4, [
  // dram 10 → 25 hits; cxl unchanged; disk appears during the run (counts from 0); queried 20 → 45.
  ok('kv-pool', [
    s(HIT, 25, { tier: 'dram' }),
    s(HIT, 2, { tier: 'cxl' }),
    s(HIT, 4, { tier: 'disk' }),
    s(QUERIED, 45),
  ]),
  // decode-0 restarted: its counters went down, so the after values count from 0.
  ok('decode-0', [s(REUSED, 30, { source: 'local' }), s(COMPUTED, 100), s(CF, 2000), s(OI, 3), s(WAIT, 0)]),
  ok('decode-1', [
    s(REUSED, 50, { source: 'pool' }),
    s(COMPUTED, 150),
    s('oicf_decode_recomputed_tokens_total', 12, { reason: 'preemption' }),
    s(OI, 5),
    // The handoff below, counted again at the receiving end, and an offer to the pool.
    s('oicf_decode_kv_received_bytes_total', 4096, { link: 'prefill->decode' }),
    s('oicf_decode_kv_sent_bytes_total', 512, { link: 'worker->pool' }),
  ]),
  ok('prefill-0', [
    s('oicf_prefill_kv_sent_bytes_total', 4096, { link: 'prefill->decode' }),
    s('oicf_prefill_kv_received_bytes_total', 1000, { link: 'pool->worker' }),
    s('oicf_prefill_executed_flops_total', 8e9, { phase: 'prefill' }),
    s('oicf_prefill_moved_bytes_total', 2e8, { phase: 'prefill' }),
    s('oicf_prefill_predicted_intensity_flops_per_byte', 50, { phase: 'prefill' }),
    s('oicf_prefill_queue_depth_tokens', 128),
  ]),
  { target: target('decode-9'), ok: false, error: 'ECONNREFUSED', samples: [] },
]);

describe('summarizeClusterMetrics', () => {
  const got = summarizeClusterMetrics({
    targets: ['kv-pool', 'decode-0', 'decode-1', 'prefill-0', 'decode-9'].map(target),
    before,
    during,
    after,
  });

  it('pool hits per tier and the overall hit ratio over the blocks queried', () => {
    // Hits: dram 15, cxl 0, disk 4 → 19 of 45 − 20 = 25 blocks queried: 6 misses (no tier), 19 / 25.
    expect(got.poolHits).toEqual({
      byTier: [
        { tier: 'cxl', hitBlocks: 0 },
        { tier: 'disk', hitBlocks: 4 },
        { tier: 'dram', hitBlocks: 15 },
      ],
      totalHitBlocks: 19,
      totalQueriedBlocks: 25,
      totalMissBlocks: 6,
      hitRatio: 19 / 25,
    });
  });

  it('worker reuse by source, surviving a counter reset', () => {
    // local: decode-0 reset → 30; pool: decode-1 50; computed 100 (reset) + 150 = 250 → 80 / 330.
    expect(got.workerReuse).toEqual({
      bySource: [
        { key: 'local', value: 30 },
        { key: 'pool', value: 50 },
      ],
      computedTokens: 250,
      // Reused + computed: the prompt tokens the workers counted.
      countedPromptTokens: 330,
      hitRatio: 80 / 330,
      // Recomputation is reported apart, outside the ratio.
      recomputedByReason: [{ key: 'preemption', value: 12 }],
    });
  });

  it('KV bytes per link from the workers: one transfer counted at both ends is counted once', () => {
    expect(got.kvBytesSource).toBe('workers');
    expect(got.kvBytesByLink).toEqual([
      { key: 'pool->worker', value: 1000 },
      { key: 'prefill->decode', value: 4096 },
      { key: 'worker->pool', value: 512 },
    ]);
  });

  it('the router’s KV tally wins when it is served', () => {
    const withRouter = summarizeClusterMetrics({
      targets: [target('router')],
      before: null,
      during: [],
      after: snap(1, [
        ok('router', [s('oicf_router_kv_moved_bytes_total', 7, { link: 'pool->worker' })]),
        ...after.results,
      ]),
    });
    expect(withRouter.kvBytesSource).toBe('router');
    expect(withRouter.kvBytesByLink).toEqual([{ key: 'pool->worker', value: 7 }]);
  });

  it('OI per phase: counters when present, else the busy mean of the gauge; predicted beside it', () => {
    // prefill: 8e9 FLOPs / 2e8 bytes = 40, predicted 50. decode gauge per scrape: 0 (idle, left out),
    // 2, 4, then mean(3, 5) = 4 over two workers → (2 + 4 + 4) / 3.
    expect(got.intensityByPhase).toEqual([
      { phase: 'decode', intensityFlopsPerByte: 10 / 3, source: 'counted', predictedFlopsPerByte: null },
      { phase: 'prefill', intensityFlopsPerByte: 40, source: 'counters', predictedFlopsPerByte: 50 },
    ]);
  });

  it('OI per phase: the measured gauge (probed steps) wins over the counted one when served', () => {
    const measured = summarizeClusterMetrics({
      targets: [target('decode-0')],
      before: null,
      during: [],
      after: snap(1, [
        ok('decode-0', [s(OI, 3), s('oicf_decode_measured_intensity_flops_per_byte', 0.9, { phase: 'decode' })]),
      ]),
    });
    expect(measured.intensityByPhase).toEqual([
      { phase: 'decode', intensityFlopsPerByte: 0.9, source: 'measured', predictedFlopsPerByte: null },
    ]);
  });

  it('CF per worker: mean of busy samples and max', () => {
    // 0 (idle), 1000, 3000, 2000 → mean 2000, max 3000.
    expect(got.capacityFootprintByWorker).toEqual([
      { worker: 'decode-0', phase: 'decode', meanBytes: 2000, maxBytes: 3000 },
    ]);
  });

  it('queue depth over time per target', () => {
    expect(got.queueTimeline).toEqual([
      {
        name: 'queued: decode-0',
        points: [
          { atSeconds: 1, value: 0 },
          { atSeconds: 2, value: 4 },
          { atSeconds: 3, value: 1 },
          { atSeconds: 4, value: 0 },
        ],
      },
    ]);
    expect(got.prefillQueueTimeline).toEqual([
      { name: 'prefill queue: prefill-0', points: [{ atSeconds: 4, value: 128 }] },
    ]);
  });

  it('n/a for what nobody serves, failed targets named', () => {
    expect(got.routerCachedTokens).toBeNull();
    expect(got.rejectsByReason).toBeNull();
    expect(got.routingByReason).toBeNull();
    expect(got.missing).toEqual([
      'router prompt tokens by cache source',
      'admission rejects by reason',
      'routing decisions by reason',
    ]);
    expect(got.failedTargets).toEqual([{ name: 'decode-9', error: 'ECONNREFUSED' }]);
  });

  it('a declared family without samples is served and zero, not n/a', () => {
    // prom-client prints `# TYPE` for a labelled counter before its first increment.
    const declaredOnly = snap(1, [
      { target: target('router'), ok: true, samples: [], declared: ['oicf_router_admission_rejected_requests_total'] },
      { target: target('kv-pool'), ok: true, samples: [], declared: [HIT, QUERIED] },
    ]);
    const got0 = summarizeClusterMetrics({ targets: [], before: null, during: [], after: declaredOnly });
    expect(got0.rejectsByReason).toEqual([]);
    expect(got0.poolHits).toEqual({
      byTier: [],
      totalHitBlocks: 0,
      totalQueriedBlocks: 0,
      totalMissBlocks: 0,
      hitRatio: null,
    });
    expect(got0.missing).not.toContain('admission rejects by reason');
  });

  it('everything n/a without scrapes', () => {
    const empty = summarizeClusterMetrics({ targets: [], before: null, during: [], after: null });
    expect(empty.poolHits).toBeNull();
    expect(empty.kvBytesByLink).toBeNull();
    expect(empty.kvBytesSource).toBeNull();
    expect(empty.intensityByPhase).toBeNull();
    expect(empty.missing).toEqual([
      'pool prefix hits (blocks) by tier',
      'worker prefix reuse (tokens) by source',
      'router prompt tokens by cache source',
      'KV bytes moved by link',
      'admission rejects by reason',
      'routing decisions by reason',
      'counted OI by phase',
      'capacity footprint per request by worker',
    ]);
  });
});

describe('componentOf', () => {
  it.each([
    ['oicf_decode_waiting_requests', 'decode'],
    ['oicf_kvpool_hit_blocks_total', 'kvpool'],
    ['vllm:num_requests_waiting', undefined],
  ])('%s → %s', (name, component) => {
    expect(componentOf(name)).toBe(component);
  });
});
