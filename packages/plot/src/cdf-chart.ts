import { percentile, sortedFinite } from '@oicf/core';
import { formatAxisValue, scaleForAxis, type ValueAxis } from './axis-scale.js';
import { DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, layoutChart, renderAxes, wrapSvg } from './chart-frame.js';
import { formatNumber } from './format.js';
import { marker } from './markers.js';
import { seriesColor, seriesMarker } from './palette.js';
import { linearScale, type Scale } from './scale.js';
import { el, px, svgText, textNode } from './svg.js';
import type { TableData } from './table.js';

/**
 * Empirical CDFs (TTFT, TPOT, end-to-end latency): y = fraction of samples ≤ x,
 * drawn as a step function, with markers at chosen percentiles (`@oicf/core`'s nearest rank).
 */

export interface CdfSeries {
  readonly name: string;
  readonly samples: readonly number[];
}

export interface CdfChartSpec {
  readonly title?: string;
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly id?: string;
  readonly xAxis: ValueAxis;
  readonly series: readonly CdfSeries[];
  /** Percentile levels to mark and tabulate, as fractions in [0, 1] (labelled p50, p90, …); default 0.5, 0.9, 0.99. */
  readonly quantiles?: readonly number[];
}

const DEFAULT_QUANTILES = [0.5, 0.9, 0.99] as const;

/** `p50` for 0.5 (rounded to hide binary noise: 0.29 × 100 = 28.999…). */
function quantileLabel(q: number): string {
  return `p${formatNumber(Math.round(q * 1e6) / 1e4)}`;
}

// Above this many samples the step path is drawn through this many evenly spaced ranks.
const MAX_PATH_POINTS = 2000;

export function renderCdfChart(spec: CdfChartSpec): string {
  const marks = spec.quantiles ?? DEFAULT_QUANTILES;
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
      line: true,
      marker: seriesMarker(i),
      series: s.name,
    })),
  );
  const { area } = layout;
  const sorted = spec.series.map((s) => sortedFinite(s.samples));
  const x = scaleForAxis(spec.xAxis, sorted.flat(), [area.left, area.left + area.width], 'CDF x axis');
  const y = linearScale([0, 1], [area.top + area.height, area.top]);
  const guides = marks.map((q) => {
    const gy = y.map(q);
    return el(
      'g',
      { class: 'percentile-guide' },
      el('line', {
        x1: area.left,
        y1: gy,
        x2: area.left + area.width,
        y2: gy,
        stroke: '#bbbbbb',
        'stroke-dasharray': '2 3',
      }),
      svgText(
        { x: area.left + area.width - 4, y: gy + 11, 'text-anchor': 'end', 'font-size': 10, fill: '#777777' },
        quantileLabel(q),
      ),
    );
  });
  const body =
    guides.join('') + spec.series.map((s, i) => renderSeries(s, sorted[i] ?? [], i, x, y, marks, spec.xAxis)).join('');
  return wrapSvg({
    kind: 'cdf',
    box,
    layout,
    id: spec.id,
    axes: renderAxes(area, x, y, spec.xAxis, { title: 'fraction of requests ≤ x', format: 'percent' }),
    body,
    description: `Cumulative distribution of ${spec.xAxis.title}, ${spec.series.length} series.`,
  });
}

/** One row per series: sample count, each percentile, and the maximum. */
export function cdfTable(spec: CdfChartSpec): TableData {
  const marks = spec.quantiles ?? DEFAULT_QUANTILES;
  return {
    columns: [
      { header: 'series' },
      { header: 'samples', align: 'right' },
      ...marks.map((q) => ({ header: quantileLabel(q), align: 'right' as const })),
      { header: 'max', align: 'right' },
    ],
    rows: spec.series.map((s) => {
      const sorted = sortedFinite(s.samples);
      const f = (v: number) => (Number.isNaN(v) ? '' : formatAxisValue(spec.xAxis, v));
      return [
        s.name,
        sorted.length,
        ...marks.map((q) => f(percentile(sorted, q))),
        f(sorted[sorted.length - 1] ?? Number.NaN),
      ];
    }),
  };
}

function renderSeries(
  s: CdfSeries,
  sorted: readonly number[],
  index: number,
  x: Scale,
  y: Scale,
  marks: readonly number[],
  xAxis: ValueAxis,
): string {
  const color = seriesColor(index);
  const n = sorted.length;
  const parts: string[] = [];
  if (n > 0) {
    // Ranks to draw: all, or evenly spaced ones (always including the first and last).
    const ranks =
      n <= MAX_PATH_POINTS
        ? sorted.map((_, i) => i)
        : Array.from({ length: MAX_PATH_POINTS }, (_, k) => Math.round((k * (n - 1)) / (MAX_PATH_POINTS - 1)));
    let d = '';
    let prevFraction = 0;
    for (const i of ranks) {
      const v = sorted[i] as number;
      if (!x.accepts(v)) {
        prevFraction = (i + 1) / n;
        continue;
      }
      const cx = px(x.map(v));
      // Horizontal at the previous level up to this sample, then up to this sample's fraction.
      d += d === '' ? `M${cx} ${px(y.map(prevFraction))}` : ` H${cx}`;
      d += ` V${px(y.map((i + 1) / n))}`;
      prevFraction = (i + 1) / n;
    }
    parts.push(
      el(
        'g',
        { class: 'pt line', 'data-series': s.name, 'data-kind': 'cdf' },
        el('title', {}, textNode(`${s.name}: ${n} samples`)),
        el('path', { d, fill: 'none', stroke: color, 'stroke-width': 2 }),
      ),
    );
    for (const q of marks) {
      const v = percentile(sorted, q);
      if (!x.accepts(v)) continue;
      parts.push(
        el(
          'g',
          { class: 'pt', 'data-series': s.name, 'data-kind': 'percentile', tabindex: '0' },
          el('title', {}, textNode(`${s.name} ${quantileLabel(q)}: ${formatAxisValue(xAxis, v)}`)),
          marker(seriesMarker(index), x.map(v), y.map(q), 4, color, false),
        ),
      );
    }
  }
  return el('g', { class: 'series', 'data-series': s.name }, ...parts);
}
