import { describe, expect, it } from 'vitest';
import { renderScatterChart, scatterChartTable } from './scatter-chart.js';
import { findElements } from './svg-test-utils.js';
import { checkXmlWellFormed } from './xml-wellformed.js';

// Same frame as line-chart.test.ts: an untitled 900×560 chart with one legend row; both axes nice-round to
// [0, 2], so x(0) = 84, x(1) = 478, x(2) = 872 and y(0) = 502, y(1) = 270.5, y(2) = 39.
const points = [
  { x: 2, y: 1, label: 'c' },
  { x: 0, y: 0, label: 'a' },
  { x: 1, y: 2, label: 'b' },
];

describe('renderScatterChart', () => {
  it('marks every point with its own label and joins nothing by default', () => {
    const svg = renderScatterChart({
      xAxis: { title: 'x' },
      yAxis: { title: 'y' },
      series: [{ name: 'designs', points }],
    });
    expect(checkXmlWellFormed(svg).ok).toBe(true);
    expect(findElements(svg, 'g', 'pt').filter((p) => p['data-kind'] === 'point')).toHaveLength(3);
    expect(svg).toContain('<title>b: 1, 2</title>');
    expect(findElements(svg, 'path').filter((p) => p.stroke !== undefined && p.fill === 'none')).toHaveLength(0);
  });

  it('joins a connected series in x order (a frontier)', () => {
    const svg = renderScatterChart({
      xAxis: { title: 'x' },
      yAxis: { title: 'y' },
      series: [{ name: 'frontier', points, connect: true }],
    });
    expect(findElements(svg, 'path').map((p) => p.d)).toContain('M84 502 L478 39 L872 270.5');
  });

  it('tables one row per point', () => {
    const spec = { xAxis: { title: 'x' }, yAxis: { title: 'y' }, series: [{ name: 's', points: points.slice(0, 1) }] };
    expect(scatterChartTable(spec).rows).toEqual([['s', 'c', '2', '1']]);
  });
});
