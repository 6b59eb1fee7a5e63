import { formatAxisValue, scaleForAxis, type ValueAxis } from './axis-scale.js';
import { DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, layoutChart, renderAxes, wrapSvg } from './chart-frame.js';
import { marker } from './markers.js';
import { seriesColor, seriesMarker } from './palette.js';
import { el, px, textNode } from './svg.js';
import type { TableData } from './table.js';

/**
 * Points over two numeric axes, each with its own label: design spaces, Pareto frontiers (a series with
 * `connect` draws its points joined in order of x). Unlike a line chart nothing is joined by default.
 */

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  /** Shown in the point's tooltip and the table. */
  readonly label: string;
}

export interface ScatterSeries {
  readonly name: string;
  readonly points: readonly ScatterPoint[];
  /** Join the points in order of x (a frontier). Default false. */
  readonly connect?: boolean;
  /** Marker radius in px (default 3.5). */
  readonly radius?: number;
}

export interface ScatterChartSpec {
  readonly title?: string;
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly id?: string;
  readonly xAxis: ValueAxis;
  readonly yAxis: ValueAxis;
  readonly series: readonly ScatterSeries[];
}

export function renderScatterChart(spec: ScatterChartSpec): string {
  const box = {
    width: spec.width ?? DEFAULT_WIDTH_PX,
    height: spec.height ?? DEFAULT_HEIGHT_PX,
    title: spec.title,
    subtitle: spec.subtitle,
  };
  const layout = layoutChart(
    box,
    spec.series.map((s, i) => ({
      label: s.name,
      color: seriesColor(i),
      line: s.connect === true,
      marker: seriesMarker(i),
      series: s.name,
    })),
  );
  const { area } = layout;
  const all = spec.series.flatMap((s) => s.points);
  const x = scaleForAxis(
    spec.xAxis,
    all.map((p) => p.x),
    [area.left, area.left + area.width],
    'scatter chart x axis',
  );
  const y = scaleForAxis(
    spec.yAxis,
    all.map((p) => p.y),
    [area.top + area.height, area.top],
    'scatter chart y axis',
    { includeZero: spec.yAxis.scale !== 'log' },
  );
  const body = spec.series
    .map((s, i) => {
      const color = seriesColor(i);
      const pts = s.points.filter((p) => x.accepts(p.x) && y.accepts(p.y));
      const parts: string[] = [];
      if (s.connect === true && pts.length > 1) {
        const d = [...pts]
          .sort((a, b) => a.x - b.x)
          .map((p, k) => `${k === 0 ? 'M' : 'L'}${px(x.map(p.x))} ${px(y.map(p.y))}`)
          .join(' ');
        parts.push(
          el(
            'g',
            { class: 'pt line', 'data-series': s.name, 'data-kind': 'line' },
            el('title', {}, textNode(`${s.name}: ${pts.length} points`)),
            el('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round' }),
          ),
        );
      }
      for (const p of pts) {
        const tip = `${p.label}: ${formatAxisValue(spec.xAxis, p.x)}, ${formatAxisValue(spec.yAxis, p.y)}`;
        parts.push(
          el(
            'g',
            { class: 'pt', 'data-series': s.name, 'data-kind': 'point', tabindex: '0' },
            el('title', {}, textNode(tip)),
            marker(seriesMarker(i), x.map(p.x), y.map(p.y), s.radius ?? 3.5, color, false),
          ),
        );
      }
      return el('g', { class: 'series', 'data-series': s.name }, ...parts);
    })
    .join('');
  return wrapSvg({
    kind: 'scatter',
    box,
    layout,
    id: spec.id,
    axes: renderAxes(area, x, y, spec.xAxis, spec.yAxis),
    body,
    description: `${spec.yAxis.title} against ${spec.xAxis.title}, ${all.length} points in ${spec.series.length} series.`,
  });
}

/** One row per point: series, label, x, y (formatted per axis). */
export function scatterChartTable(spec: ScatterChartSpec): TableData {
  return {
    columns: [
      { header: 'series' },
      { header: 'point' },
      { header: spec.xAxis.title, align: 'right' },
      { header: spec.yAxis.title, align: 'right' },
    ],
    rows: spec.series.flatMap((s) =>
      s.points.map((p) => [s.name, p.label, formatAxisValue(spec.xAxis, p.x), formatAxisValue(spec.yAxis, p.y)]),
    ),
  };
}
