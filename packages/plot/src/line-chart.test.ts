import { describe, expect, it } from 'vitest';
import { lineChartTable, renderLineChart } from './line-chart.js';
import { findElements } from './svg-test-utils.js';
import { checkXmlWellFormed } from './xml-wellformed.js';

// Layout of an untitled 900×560 chart with one legend row: the legend row starts at y = 10 and is 19 px
// high, the plot starts 12 px below it (8 + 19 + 12 = 39) and ends 58 px above the bottom (502);
// x runs from 84 to 900 − 28 = 872. Both axes here are nice-rounded to [0, 2] (step 0.5), so
// x(0) = 84, x(1) = 478, x(2) = 872; y(0) = 502, y(1) = 270.5, y(2) = 39.
const base = {
  xAxis: { title: 'time (s)' },
  yAxis: { title: 'queue depth (requests)' },
  series: [
    {
      name: 'router',
      points: [
        { x: 2, y: 1 },
        { x: 0, y: 0 },
        { x: 1, y: 2 },
      ],
    },
  ],
};

describe('renderLineChart', () => {
  it('draws straight segments in x order', () => {
    const svg = renderLineChart(base);
    expect(checkXmlWellFormed(svg).ok).toBe(true);
    expect(findElements(svg, 'path').map((p) => p.d)).toContain('M84 502 L478 39 L872 270.5');
  });
  it('holds each value until the next sample in step mode', () => {
    const svg = renderLineChart({ ...base, step: true });
    expect(findElements(svg, 'path').map((p) => p.d)).toContain('M84 502 H478 V39 H872 V270.5');
  });
  it('marks points (with tooltips) only for short series', () => {
    const short = renderLineChart(base);
    expect(findElements(short, 'g', 'pt').filter((p) => p['data-kind'] === 'point')).toHaveLength(3);
    expect(short).toContain('<title>router: 1, 2</title>');
    const long = renderLineChart({
      ...base,
      series: [{ name: 'long', points: Array.from({ length: 61 }, (_, i) => ({ x: i, y: i })) }],
    });
    expect(findElements(long, 'g', 'pt').filter((p) => p['data-kind'] === 'point')).toHaveLength(0);
  });
  it('renders an empty series without a path or NaN', () => {
    const svg = renderLineChart({ ...base, series: [{ name: 'none', points: [] }] });
    expect(checkXmlWellFormed(svg).ok).toBe(true);
    expect(svg).not.toContain('NaN');
    expect(findElements(svg, 'path')).toHaveLength(0);
  });
});

describe('lineChartTable', () => {
  it('summarises each series', () => {
    const t = lineChartTable({ ...base, yAxis: { title: 'depth', unit: 'req' } });
    // mean of 1, 0, 2 is 1.
    expect(t.rows).toEqual([['router', 3, '0', '2', '0 req', '1 req', '2 req']]);
    expect(lineChartTable({ ...base, series: [{ name: 'none', points: [] }] }).rows).toEqual([
      ['none', 0, '', '', '', '', ''],
    ]);
  });
});
