import { checkXmlWellFormed, type PlaneDevice } from '@oicf/plot';
import { describe, expect, it } from 'vitest';
import type { RunMetrics } from './metrics-snapshot.js';
import { summarizeReplay } from './replay-summary.js';
import { comparisonReportFiles, REPLAY_REPORT_FORMAT, replayReportFiles } from './report-files.js';
import { makeMeta, makeRecord, makeRouting, makeRun } from './testing/make-run.js';

const DEVICE: PlaneDevice = {
  name: 'this machine',
  peakFlopsPerSecond: 350e9,
  bandwidthBytesPerSecond: 25e9,
  memoryCapacityBytes: 24 * 2 ** 30,
};

// Prefill measured 8e9 FLOPs over 2e8 bytes (OI 40) with a 1 MiB footprint per request on prefill-0.
const METRICS: RunMetrics = {
  targets: [{ name: 'prefill-0', url: 'http://127.0.0.1:9/metrics' }],
  before: null,
  during: [],
  after: {
    atSeconds: 5,
    results: [
      {
        target: { name: 'prefill-0', url: 'http://127.0.0.1:9/metrics' },
        ok: true,
        samples: [
          { name: 'oicf_prefill_executed_flops_total', labels: {}, value: 8e9 },
          { name: 'oicf_prefill_moved_bytes_total', labels: {}, value: 2e8 },
          { name: 'oicf_prefill_capacity_footprint_bytes', labels: {}, value: 2 ** 20 },
        ],
      },
    ],
  },
};

function run(label: string, ttfts: number[], extra: Partial<Parameters<typeof makeRun>[1]> = {}) {
  const records = ttfts.map((t, i) =>
    makeRecord({
      requestId: `r${i}`,
      ttftSeconds: t,
      e2eSeconds: t + 0.5,
      interTokenSeconds: [0.05, 0.06],
      numCachedTokens: 64,
      routing: makeRouting({ cacheSource: 'pool', numCachedTokens: 64 }),
    }),
  );
  records.push(
    makeRecord({ requestId: 'rej', status: 'rejected', httpStatus: 429, errorCode: 'capacity', ttftSeconds: null }),
  );
  return makeRun(records, {
    meta: makeMeta({ label, routerUrl: 'http://127.0.0.1:4000' }),
    clientTimeline: [
      { atSeconds: 0, numInFlight: 1, numWaitingForSlot: 0, numFinished: 0 },
      { atSeconds: 1, numInFlight: 2, numWaitingForSlot: 1, numFinished: 1 },
    ],
    metrics: METRICS,
    ...extra,
  });
}

/** Anything that would make a browser fetch: src/href to a URL, CSS url(...) or @import. */
const FETCHES =
  /(?:\b(?:src|href|xlink:href|action)\s*=\s*["']?\s*(?:https?:)?\/\/)|url\(\s*["']?\s*(?:https?:)?\/\/|@import/i;

it.each([
  ['<script src="https://cdn.example/x.js">', true],
  ["<link rel=stylesheet href='//cdn.example/x.css'>", true],
  ['<div style="background: url( http://x/y.png)">', true],
  ['<style>@import "x.css";</style>', true],
  ['<svg xmlns="http://www.w3.org/2000/svg">', false],
  ['<a href="#ttft">', false],
  ['router at http://127.0.0.1:4000', false],
])('the fetch detector on %j → %s', (html, fetches) => {
  expect(FETCHES.test(html)).toBe(fetches);
});

describe('replayReportFiles', () => {
  const r = run('policy=oicf-cost', [0.1, 0.2, 0.4]);
  const files = replayReportFiles(r, summarizeReplay(r, { ttftSeconds: 0.3, tpotSeconds: null }), DEVICE);
  const byName = Object.fromEntries(files.map((f) => [f.name, f.content]));

  it('writes JSON, Markdown and HTML', () => {
    expect(files.map((f) => f.name)).toEqual(['replay.json', 'replay.md', 'replay.html']);
    const json = JSON.parse(byName['replay.json'] as string);
    expect(json).toMatchObject({ format: REPLAY_REPORT_FORMAT, version: 1, meta: { label: 'policy=oicf-cost' } });
    expect(json.requests).toHaveLength(4);
    // 2 of 4 judged requests meet TTFT ≤ 0.3 s (0.1 and 0.2; 0.4 misses, the reject fails).
    expect(json.summary.goodput).toMatchObject({ numMet: 2, numJudged: 4, attainment: 0.5 });
  });

  it('Markdown carries the numbers and n/a for what was not served', () => {
    const md = byName['replay.md'] as string;
    expect(md).toContain('# Replay: policy=oicf-cost');
    expect(md).toContain('| SLO attainment (TTFT ≤ 300 ms) | 50% |');
    // TTFT samples 0.1, 0.2, 0.4: p50 = 0.2 s → "200 ms".
    expect(md).toMatch(/\| TTFT \| 3 \| [^|]+ \| 200 ms \| 400 ms \| 400 ms \| 400 ms \|/);
    expect(md).toContain('| capacity | 1 | n/a |');
    // No predicted-OI gauge is served: that column is n/a.
    expect(md).toContain('| prefill | 40 | counters | n/a | 1 MiB |');
    expect(md).toContain('Not served (n/a): pool prefix hits (blocks) by tier');
  });

  it('HTML is self-contained and its charts are well-formed', () => {
    const html = byName['replay.html'] as string;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(FETCHES);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // TTFT, TPOT, inter-token, e2e CDFs, queueing, prefix bars, OI–CF plane, rejects bars.
    expect(svgs.length).toBe(8);
    for (const svg of svgs) expect(checkXmlWellFormed(svg)).toMatchObject({ ok: true });
    expect(html).toContain('CDF of time to first token');
    expect(html).toContain('Measured OI and CF per phase');
    // KV bytes per link are not served by any target: a plain sentence instead of an empty chart (never
    // the literal Markdown `_No data to plot (n/a)._`, which the page does not render).
    expect(html).toMatch(/KV bytes by link[\s\S]*?No chart: nothing to plot for this run/);
    expect(html).not.toContain('_No data to plot');
  });

  it('puts the reuse ceiling at the cluster block size beside the measured prefix hit ratio', () => {
    // 3 ok requests of 100 prompt tokens with 64 cached each: 192 / 300 = 64%. Ceiling given at 32-token
    // blocks: each prompt could reuse ⌊99 / 32⌋ = 3 blocks = 96 tokens, 288 / 300 = 96%.
    const reuseCeiling = { blockTokens: 32, numPromptTokens: 300, numServedTokens: 288, ratio: 0.96 };
    const withCeiling = run('c', [0.1, 0.2, 0.4], { meta: makeMeta({ label: 'c', reuseCeiling }) });
    const f = replayReportFiles(
      withCeiling,
      summarizeReplay(withCeiling, { ttftSeconds: null, tpotSeconds: null }),
      DEVICE,
    );
    expect(f[1]?.content).toContain(
      '| measured hit ratio (client: cached ÷ prompt tokens) | 64% (ceiling 96% at 32-token blocks) |',
    );
    // The reuse-figures table ends with the same ceiling, its counts whole: 288 of 300 prompt tokens.
    expect(f[1]?.content).toMatch(
      /\| ceiling \(32-token blocks\) +\| +96% \| +288 \| +300 tokens \| prompt tokens an unlimited/,
    );
    expect(JSON.parse(f[0]?.content as string).summary.reuseCeiling).toEqual(reuseCeiling);
    // Without one (a trace with no prefix information, or an older record), the measured ratio alone.
    expect(byName['replay.md']).toContain('| measured hit ratio (client: cached ÷ prompt tokens) | 64% |');
    expect(byName['replay.md']).toMatch(/\| ceiling +\| +n\/a \| +n\/a \| +n\/a \| not known/);
  });

  it('marks an interrupted run as partial everywhere', () => {
    const partial = run('cut', [0.1], { interrupted: true });
    const f = replayReportFiles(partial, summarizeReplay(partial, { ttftSeconds: null, tpotSeconds: null }), DEVICE);
    expect(f[1]?.content).toContain('**Interrupted (Ctrl-C)');
    expect(f[2]?.content).toContain('Interrupted (Ctrl-C): partial report.');
    expect(JSON.parse(f[0]?.content as string).interrupted).toBe(true);
  });
});

describe('comparisonReportFiles', () => {
  const a = run('policy=prefix-aware', [0.1, 0.2]);
  const b = run('policy=oicf-cost', [0.05, 0.1]);
  const slo = { ttftSeconds: 0.15, tpotSeconds: null };
  const files = comparisonReportFiles(
    'Routing policies',
    [a, b].map((r) => ({ run: r, summary: summarizeReplay(r, slo) })),
    DEVICE,
  );

  it('one table row per configuration, grouped bars and overlaid CDFs', () => {
    expect(files.map((f) => f.name)).toEqual(['compare.json', 'compare.md', 'compare.html']);
    const md = files[1]?.content as string;
    // prefix-aware: TTFT p50 0.1 s, 1 of 3 judged meets 0.15 s; oicf-cost: p50 0.05 s, 2 of 3.
    expect(md).toMatch(/\| policy=prefix-aware \| 2 \/ 3 \| 1 \| 100 ms \| 200 ms \|/);
    expect(md).toMatch(/\| policy=oicf-cost \| 2 \/ 3 \| 1 \| 50 ms \| 100 ms \|.*\| 66\.7% \|/);
    const html = files[2]?.content as string;
    expect(html).not.toMatch(FETCHES);
    const cdf = html.match(/<svg[^>]*>(?:(?!<\/svg>)[\s\S])*CDF of time to first token[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(cdf).toContain('policy=prefix-aware');
    expect(cdf).toContain('policy=oicf-cost');
    expect(html).toContain('TTFT percentiles');
    expect(JSON.parse(files[0]?.content as string).runs).toHaveLength(2);
  });
});
