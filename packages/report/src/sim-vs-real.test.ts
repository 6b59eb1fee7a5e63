import { describe, expect, it } from 'vitest';
import { renderComparisonMarkdown } from './render-comparison.js';
import { summarizeReplay } from './replay-summary.js';
import { simVsReal } from './sim-vs-real.js';
import { makeMeta, makeRecord, makeRun } from './testing/make-run.js';

const slo = { ttftSeconds: 1, tpotSeconds: null };

// Two requests each; real TTFTs 0.1 and 0.2 s, simulated 0.11 and 0.18 s. 100 prompt tokens each:
// real 50 cached (hit ratio 50 %), sim 60 cached (60 %). Both runs last 10 s: 0.2 req/s.
function entry(kind: 'sim' | 'url', ttfts: [number, number], cached: number) {
  const records = ttfts.map((t, i) => makeRecord({ requestId: `r${i}`, ttftSeconds: t, numCachedTokens: cached }));
  const run = makeRun(records, { meta: makeMeta({ label: kind === 'sim' ? 'twin' : 'cluster', targetKind: kind }) });
  return { run, summary: summarizeReplay(run, slo) };
}

describe('simVsReal', () => {
  const real = entry('url', [0.1, 0.2], 50);
  const sim = entry('sim', [0.11, 0.18], 60);

  it('gives each figure’s relative error, and the hit ratio’s difference in points', () => {
    const byFigure = Object.fromEntries(simVsReal(real.summary, sim.summary).map((e) => [e.figure, e]));
    // Nearest-rank p50 of two values is the lower: real 0.1, sim 0.11 → +10 %.
    expect(byFigure['TTFT p50']?.error).toBeCloseTo(0.1, 12);
    // p90 and p99: the upper value, 0.2 vs 0.18 → −10 %.
    expect(byFigure['TTFT p90']?.error).toBeCloseTo(-0.1, 12);
    expect(byFigure['throughput req/s']?.error).toBe(0);
    expect(byFigure['prefix hit ratio']).toMatchObject({ real: 0.5, unit: 'points' });
    expect(byFigure['prefix hit ratio']?.error).toBeCloseTo(0.1, 12);
  });

  it('adds a kind column and the error table to a comparison holding one real run and a simulated one', () => {
    const md = renderComparisonMarkdown('twin vs cluster', [real, sim]);
    expect(md).toMatch(/\| configuration \| kind \|/);
    expect(md).toMatch(/\| cluster \| real \|/);
    expect(md).toMatch(/\| twin \| sim \|/);
    expect(md).toContain('## Simulated vs real');
    expect(md).toMatch(/\| TTFT p50 \| 100 ms \| 110 ms \| \+10\.0% \|/);
    expect(md).toMatch(/\| prefix hit ratio \| 50% \| 60% \| \+10\.0 pts \|/);
    // Real runs alone: no kind column, no error table.
    expect(renderComparisonMarkdown('two real', [real, real])).not.toContain('kind');
  });
});
