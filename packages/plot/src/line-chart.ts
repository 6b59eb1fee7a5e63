import { formatAxisValue, scaleForAxis, type ValueAxis } from './axis-scale.js';
import { DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, layoutChart, renderAxes, wrapSvg } from './chart-frame.js';
import { finiteExtent } from './extent.js';
import { marker } from './markers.js';
import { seriesColor, seriesMarker } from './palette.js';
import type { Scale } from './scale.js';
import { el, px, textNode } from './svg.js';
import type { TableData } from './table.js';

/**
 * Lines over a numeric x (usually time in seconds): queue depth, throughput,
 * occupancy. `step` draws a value as held until the next sample, which is
 * what a sampled counter or gauge means.
 */

export interface XyPoint {
  readonly x: number;
  readonly y: number;
}

export interface LineSeries {
  readonly name: string;
  readonly points: readonly XyPoint[];
}

export interface LineChartSpec {
  readonly title?: string;
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly id?: string;
  readonly xAxis: ValueAxis;
  readonly yAxis: ValueAxis;
  readonly series: readonly LineSeries[];
  /** Hold each value until the next x (default false: straight segments). */
  readonly step?: boolean;
  /** Draw point markers with tooltips; default: when no series has more than 60 points. */
  readonly showPoints?: boolean;
  /** Include y = 0 on a linear y axis (default true). */
  readonly yFromZero?: boolean;
}

export function renderLineChart(spec: LineChartSpec): string {
  const box = {
    width: spec.width ?? DEFAULT_WIDTH_PX,
    height: spec.height ?? DEFAULT_HEIGHT_PX,
    title: spec.title,
    subtitle: spec.subtitle,
  };
  const showPoints = spec.showPoints ?? spec.series.every((s) => s.points.length <= 60);
  const layout = layoutChart(
    box,
    spec.series.map((s, i) => ({
      label: s.name,
      color: seriesColor(i),
      line: true,
      marker: showPoints ? seriesMarker(i) : undefined,
      series: s.name,
    })),
  );
  const { area } = layout;
  const all = spec.series.flatMap((s) => s.points);
  const x = scaleForAxis(
    spec.xAxis,
    all.map((p) => p.x),
    [area.left, area.left + area.width],
    'line chart x axis',
  );
  const y = scaleForAxis(
    spec.yAxis,
    all.map((p) => p.y),
    [area.top + area.height, area.top],
    'line chart y axis',
    {
      includeZero: spec.yFromZero !== false,
    },
  );
  const body = spec.series.map((s, i) => renderSeries(spec, s, i, x, y, showPoints)).join('');
  return wrapSvg({
    kind: 'line',
    box,
    layout,
    id: spec.id,
    axes: renderAxes(area, x, y, spec.xAxis, spec.yAxis),
    body,
    description: `${spec.yAxis.title} against ${spec.xAxis.title}, ${spec.series.length} series.`,
  });
}

/** One row per series: number of points, x span, y min / mean / max (formatted per axis). */
export function lineChartTable(spec: LineChartSpec): TableData {
  return {
    columns: [
      { header: 'series' },
      { header: 'points', align: 'right' },
      { header: `from (${spec.xAxis.title})`, align: 'right' },
      { header: 'to', align: 'right' },
      { header: `min (${spec.yAxis.title})`, align: 'right' },
      { header: 'mean', align: 'right' },
      { header: 'max', align: 'right' },
    ],
    rows: spec.series.map((s) => {
      const ys = s.points.map((p) => p.y).filter(Number.isFinite);
      const [x0, x1] = finiteExtent(
        s.points.map((p) => p.x),
        [Number.NaN, Number.NaN],
      );
      const [y0, y1] = finiteExtent(ys, [Number.NaN, Number.NaN]);
      const mean = ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.NaN;
      const fx = (v: number) => (Number.isNaN(v) ? '' : formatAxisValue(spec.xAxis, v));
      const fy = (v: number) => (Number.isNaN(v) ? '' : formatAxisValue(spec.yAxis, v));
      return [s.name, s.points.length, fx(x0), fx(x1), fy(y0), fy(mean), fy(y1)];
    }),
  };
}

function renderSeries(
  spec: LineChartSpec,
  s: LineSeries,
  index: number,
  x: Scale,
  y: Scale,
  showPoints: boolean,
): string {
  const color = seriesColor(index);
  const pts = s.points
    .filter((p) => x.accepts(p.x) && y.accepts(p.y))
    .slice()
    .sort((a, b) => a.x - b.x);
  let d = '';
  pts.forEach((p, k) => {
    const cx = px(x.map(p.x));
    const cy = px(y.map(p.y));
    if (k === 0) d += `M${cx} ${cy}`;
    else if (spec.step) d += ` H${cx} V${cy}`;
    else d += ` L${cx} ${cy}`;
  });
  const [y0, y1] = finiteExtent(
    pts.map((p) => p.y),
    [Number.NaN, Number.NaN],
  );
  const summary =
    pts.length > 0
      ? `${s.name}: ${pts.length} points, ${spec.yAxis.title} from ${formatAxisValue(spec.yAxis, y0)} to ${formatAxisValue(spec.yAxis, y1)}`
      : `${s.name}: no points`;
  const parts = [
    el(
      'g',
      { class: 'pt line', 'data-series': s.name, 'data-kind': 'line' },
      el('title', {}, textNode(summary)),
      d === '' ? '' : el('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round' }),
    ),
  ];
  if (showPoints) {
    for (const p of pts) {
      const tip = `${s.name}: ${formatAxisValue(spec.xAxis, p.x)}, ${formatAxisValue(spec.yAxis, p.y)}`;
      parts.push(
        el(
          'g',
          { class: 'pt', 'data-series': s.name, 'data-kind': 'point', tabindex: '0' },
          el('title', {}, textNode(tip)),
          marker(seriesMarker(index), x.map(p.x), y.map(p.y), 3.5, color, false),
        ),
      );
    }
  }
  return el('g', { class: 'series', 'data-series': s.name }, ...parts);
}
