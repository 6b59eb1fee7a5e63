import { describe, expect, it } from 'vitest';
import { barChartTable, renderBarChart } from './bar-chart.js';
import { findElements } from './svg-test-utils.js';
import { checkXmlWellFormed } from './xml-wellformed.js';

const spec = {
  categories: ['a & b', 'c'],
  series: [
    { name: 'x', values: [1, 2] },
    { name: 'y', values: [3, null] },
  ],
  yAxis: { title: 'p99 TTFT (s)', format: 'seconds' as const },
};

describe('renderBarChart', () => {
  const svg = renderBarChart(spec);

  it('scales bar heights from zero and leaves a gap for null', () => {
    expect(checkXmlWellFormed(svg).ok).toBe(true);
    // Values up to 3 plus 8 % headroom (3.24) → nice domain [0, 4] over the 463 px plot (39..502):
    // heights 1/4, 2/4, 3/4 of 463 = 115.75, 231.5, 347.25; the null value draws nothing.
    const bars = findElements(svg, 'rect', 'bar-rect');
    expect(bars.map((r) => Number(r.height))).toEqual([115.75, 347.25, 231.5]);
    // Bars stand on the baseline y = 502.
    expect(bars.every((r) => Number(r.y) + Number(r.height) === 502)).toBe(true);
    // Band 788/2 = 394 px, group 80 % = 315.2, bar 157.6; first bar at 84 + 39.4 + 1 = 124.4, 155.6 wide.
    expect(bars[0]).toMatchObject({ x: '124.4', width: '155.6' });
  });

  it('escapes category names and puts tooltips on bars', () => {
    expect(svg).toContain('<title>a &amp; b · y: 3 s</title>');
    expect(findElements(svg, 'g', 'bar')).toHaveLength(3);
  });

  it('rejects a series with the wrong number of values', () => {
    expect(() => renderBarChart({ ...spec, series: [{ name: 'short', values: [1] }] })).toThrow(
      'bar chart series 0 (short) has 1 values for 2 categories',
    );
  });

  it('tabulates categories × series', () => {
    expect(barChartTable(spec)).toMatchObject({
      columns: [{ header: 'category' }, { header: 'x' }, { header: 'y' }],
      rows: [
        ['a & b', '1 s', '3 s'],
        ['c', '2 s', ''],
      ],
    });
  });

  it('handles no categories', () => {
    const empty = renderBarChart({ categories: [], series: [], yAxis: { title: 'v' } });
    expect(checkXmlWellFormed(empty).ok).toBe(true);
    expect(empty).not.toContain('NaN');
  });
});
