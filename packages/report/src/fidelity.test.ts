// The report's fidelity sections from scrapes and records with hand-derived numbers: the three reuse figures,
// what emulation did per phase (with the underrun warning), the worker events and the model line.
import type { PromSample } from '@oicf/metrics/prometheus-text';
import { describe, expect, it } from 'vitest';
import { summarizeEmulation, UNDERRUN_WARN_SHARE } from './emulation-summary.js';
import { eventsTable, fidelityWarnings, modelLine } from './fidelity-tables.js';
import type { MetricsSnapshot, RunMetrics, ScrapeResult } from './metrics-snapshot.js';
import { renderReplayMarkdown } from './render-markdown.js';
import { summarizeReplay } from './replay-summary.js';
import { makeMeta, makeRecord, makeRouting, makeRun } from './testing/make-run.js';

const s = (name: string, value: number, labels: Record<string, string> = {}): PromSample => ({ name, labels, value });
const ok = (name: string, samples: PromSample[]): ScrapeResult => ({
  target: { name, url: `http://127.0.0.1/${name}` },
  ok: true,
  samples,
});
const snap = (atSeconds: number, results: ScrapeResult[]): MetricsSnapshot => ({ atSeconds, results });
const NO_SLO = { ttftSeconds: null, tpotSeconds: null };

// Emulating llama-3.1-70b@h100. Prefill: 40 paced steps, 10 underruns (25 %), 6 s slept of 8 s of step time.
// Decode: 1,000 paced steps, 20 underruns (2 %), 9 s slept of 12 s.
const EMULATING: RunMetrics = {
  targets: [],
  before: snap(0, [
    ok('prefill-0', [
      s('oicf_prefill_emulation_paced_steps_total', 10, { phase: 'prefill' }),
      s('oicf_prefill_emulation_underrun_steps_total', 0, { phase: 'prefill' }),
      s('oicf_prefill_emulation_step_sleep_seconds_total', 1, { phase: 'prefill' }),
      s('oicf_prefill_step_seconds_sum', 2, { phase: 'prefill' }),
    ]),
  ]),
  during: [],
  after: snap(60, [
    ok('prefill-0', [
      s('oicf_prefill_emulation_info', 1, { target: 'llama-3.1-70b@h100' }),
      s('oicf_prefill_emulation_paced_steps_total', 50, { phase: 'prefill' }),
      s('oicf_prefill_emulation_underrun_steps_total', 10, { phase: 'prefill' }),
      s('oicf_prefill_emulation_step_sleep_seconds_total', 7, { phase: 'prefill' }),
      s('oicf_prefill_step_seconds_sum', 10, { phase: 'prefill' }),
    ]),
    ok('decode-0', [
      s('oicf_decode_emulation_info', 1, { target: 'llama-3.1-70b@h100' }),
      s('oicf_decode_emulation_paced_steps_total', 1000, { phase: 'decode' }),
      s('oicf_decode_emulation_underrun_steps_total', 20, { phase: 'decode' }),
      s('oicf_decode_emulation_step_sleep_seconds_total', 9, { phase: 'decode' }),
      s('oicf_decode_step_seconds_sum', 12, { phase: 'decode' }),
    ]),
  ]),
};

describe('emulation summary', () => {
  it('per phase: paced steps, underruns and their share, the sleep share of step time; a warning above 5 %', () => {
    const e = summarizeEmulation(EMULATING);
    expect(e).toEqual({
      targets: ['llama-3.1-70b@h100'],
      byPhase: [
        {
          phase: 'decode',
          pacedSteps: 1000,
          underrunSteps: 20,
          underrunShare: 0.02,
          sleepSeconds: 9,
          stepSeconds: 12,
          sleepShare: 0.75,
        },
        // Δ: 40 paced, 10 underruns, 6 s slept of 8 s.
        {
          phase: 'prefill',
          pacedSteps: 40,
          underrunSteps: 10,
          underrunShare: 0.25,
          sleepSeconds: 6,
          stepSeconds: 8,
          sleepShare: 0.75,
        },
      ],
      // 25 % > 5 %: prefill warns; 2 % decode does not.
      warnings: [
        "25% of prefill steps (10 of 40) ran slower on this machine than on llama-3.1-70b@h100: those steps show this machine's time, not the target's, so prefill latencies here overstate the target's",
      ],
    });
    expect(UNDERRUN_WARN_SHARE).toBe(0.05);
  });

  it('is null when no worker paces', () => {
    expect(
      summarizeEmulation({ targets: [], before: null, during: [], after: snap(1, [ok('decode-0', [])]) }),
    ).toBeNull();
  });
});

describe('the replay report’s fidelity sections', () => {
  // Two ok requests: 1,000 prompt tokens with 600 cached, 500 with none → client 600 / 1,500 = 40 %.
  const records = [
    makeRecord({
      numInputTokens: 1000,
      numCachedTokens: 600,
      routing: makeRouting({ cacheSource: 'worker', numCachedTokens: 600 }),
    }),
    makeRecord({
      numInputTokens: 500,
      numCachedTokens: 0,
      routing: makeRouting({ cacheSource: 'none', numCachedTokens: 0 }),
    }),
  ];
  // Workers: 600 reused + 900 computed = 1,500 counted (one count per prompt token sent) → 40 %; 30 tokens
  // recomputed after a preemption stay out of it. Pool: queries asked for 90 blocks, it held 30 → 33.3 %
  // (the 600 cached tokens came from a decode worker's own memory, which the pool does not see).
  const metrics: RunMetrics = {
    targets: [],
    before: null,
    during: [],
    after: snap(30, [
      ok('decode-0', [
        s('oicf_decode_prefix_reused_tokens_total', 600, { source: 'local' }),
        s('oicf_decode_computed_tokens_total', 300),
        s('oicf_decode_recomputed_tokens_total', 30, { reason: 'preemption' }),
      ]),
      ok('prefill-0', [s('oicf_prefill_computed_tokens_total', 600)]),
      ok('kv-pool', [
        s('oicf_kvpool_prefix_queried_blocks_total', 90),
        s('oicf_kvpool_prefix_hit_blocks_total', 30, { tier: 'dram' }),
      ]),
    ]),
  };
  const run = makeRun(records, {
    metrics,
    clusterEvents: {
      events: [
        { atSeconds: 12.34, workerId: 'decode-1', kind: 'heartbeat-timeout', detail: 'no heartbeat for 3.2 s' },
        { atSeconds: 15, workerId: 'decode-1', kind: 'healthy', detail: '' },
      ],
      numDropped: 0,
    },
  });
  const summary = summarizeReplay(run, NO_SLO);

  it('three reuse figures, each with what it counts', () => {
    expect(summary.reuse.map((f) => [f.figure, f.ratio, f.numerator, f.denominator, f.unit])).toEqual([
      ['client', 0.4, 600, 1500, 'tokens'],
      ['workers', 0.4, 600, 1500, 'tokens'],
      ['pool', 30 / 90, 30, 90, 'blocks'],
    ]);
  });

  it('worker events with their times, and a warning line pointing at them', () => {
    expect(eventsTable(summary).rows).toEqual([
      ['12.3', 'decode-1', 'heartbeat-timeout', 'no heartbeat for 3.2 s'],
      ['15.0', 'decode-1', 'healthy', ''],
    ]);
    expect(fidelityWarnings(summary)).toEqual([
      '1 worker health event(s) during the run (first: decode-1 heartbeat-timeout at 12.3 s): see “Worker events”',
    ]);
    const md = renderReplayMarkdown(run, summary);
    expect(md).toContain('## Reuse figures');
    expect(md).toContain('## Worker events');
    expect(md).toContain('> **Warning:** 1 worker health event(s)');
  });

  it('names the served and the emulated model', () => {
    const emulated = makeRun(records, { meta: makeMeta({ model: 'tiny-gqa' }), metrics: EMULATING });
    expect(modelLine(emulated, summarizeReplay(emulated, NO_SLO))).toBe('tiny-gqa paced as llama-3.1-70b@h100');
    expect(modelLine(run, summary)).toBe('tiny-gqa');
    // Without the counters (an older cluster), the --emulate the command asked for.
    const asked = makeRun(records, { meta: makeMeta({ options: { emulate: 'llama-3.1-70b@b200' } }) });
    expect(modelLine(asked, summarizeReplay(asked, NO_SLO))).toBe('tiny-gqa paced as llama-3.1-70b@b200');
  });
});

describe('counts in the fidelity sections', () => {
  it('are printed whole (2,357 stays 2,357; formatNumber would round it to 2,360)', async () => {
    const { count } = await import('./emulation-summary.js');
    expect([count(2357), count(40), count(766_288)]).toEqual(['2,357', '40', '766,288']);
  });
});
