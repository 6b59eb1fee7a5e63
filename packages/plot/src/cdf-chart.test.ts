import { describe, expect, it } from 'vitest';
import { cdfTable, renderCdfChart } from './cdf-chart.js';
import { findElements } from './svg-test-utils.js';
import { checkXmlWellFormed } from './xml-wellformed.js';

describe('renderCdfChart', () => {
  // Untitled chart, one legend row: plot y from 39 (fraction 1) to 502 (fraction 0), 463 px.
  // Samples 1..4 on a linear axis: nice domain [1, 4] (step 0.5) over x 84..872, 262.67 px per unit.
  const spec = { xAxis: { title: 'TTFT (s)' }, series: [{ name: 'rr', samples: [4, 1, Number.NaN, 3, 2] }] };
  const svg = renderCdfChart(spec);

  it('draws the empirical CDF as steps of 1/n, ignoring non-finite samples', () => {
    expect(checkXmlWellFormed(svg).ok).toBe(true);
    // Up to 1/4 at x(1) = 84, across to x(2) = 346.67, up to 2/4 (270.5), … up to 1 (39) at x(4) = 872.
    expect(findElements(svg, 'path').map((p) => p.d)).toContain(
      'M84 502 V386.25 H346.67 V270.5 H609.33 V154.75 H872 V39',
    );
  });

  it('marks p50, p90, p99 at their nearest-rank samples', () => {
    const marks = findElements(svg, 'g', 'pt').filter((p) => p['data-kind'] === 'percentile');
    expect(marks).toHaveLength(3);
    // p50 = 2nd of 4 = 2 → (346.67, 270.5).
    expect(svg).toContain('<circle cx="346.67" cy="270.5"');
    expect(svg).toContain('<title>rr p99: 4</title>');
  });

  it('tabulates count, percentiles and max', () => {
    expect(cdfTable({ ...spec, xAxis: { title: 'TTFT', format: 'seconds' } }).rows).toEqual([
      ['rr', 4, '2 s', '4 s', '4 s', '4 s'],
    ]);
  });

  it('marks and labels the quantiles asked for (fractions, labelled as percent)', () => {
    // q 0.25 of 4 samples: ⌈1⌉ = 1st = 1; q 0.29: ⌈1.16⌉ = 2nd = 2, labelled p29 (not p28.999…).
    const table = cdfTable({ ...spec, quantiles: [0.25, 0.29] });
    expect(table.columns.map((c) => c.header)).toEqual(['series', 'samples', 'p25', 'p29', 'max']);
    expect(table.rows).toEqual([['rr', 4, '1', '2', '4']]);
  });

  it('handles an empty series', () => {
    const empty = renderCdfChart({ xAxis: { title: 'x', scale: 'log' }, series: [{ name: 'none', samples: [] }] });
    expect(checkXmlWellFormed(empty).ok).toBe(true);
    expect(empty).not.toContain('NaN');
  });
});
