import { formatAxisValue, scaleForAxis, type ValueAxis } from './axis-scale.js';
import { type AxisSpec, DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, layoutChart, renderAxes, wrapSvg } from './chart-frame.js';
import { seriesColor } from './palette.js';
import { linearScale, type Scale } from './scale.js';
import { el, svgText, textNode } from './svg.js';
import type { TableData } from './table.js';

/**
 * Grouped bars: one group per category, one bar per series inside the group
 * (e.g. routing policies side by side per trace). Missing values (null) leave
 * a gap. Bars start at 0 on a linear axis, at the axis minimum on a log axis.
 */

export interface BarSeries {
  readonly name: string;
  /** One value per category, in category order; null = no value. */
  readonly values: readonly (number | null)[];
}

export interface BarChartSpec {
  readonly title?: string;
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly id?: string;
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  readonly yAxis: ValueAxis;
  readonly xAxis?: AxisSpec;
  /** Print values above bars; default when there are at most 24 bars. */
  readonly valueLabels?: boolean;
}

export function renderBarChart(spec: BarChartSpec): string {
  spec.series.forEach((s, i) => {
    if (s.values.length !== spec.categories.length) {
      throw new RangeError(
        `bar chart series ${i} (${s.name}) has ${s.values.length} values for ${spec.categories.length} categories`,
      );
    }
  });
  const box = {
    width: spec.width ?? DEFAULT_WIDTH_PX,
    height: spec.height ?? DEFAULT_HEIGHT_PX,
    title: spec.title,
    subtitle: spec.subtitle,
  };
  const layout = layoutChart(
    box,
    spec.series.map((s, i) => ({ label: s.name, color: seriesColor(i), swatch: true, series: s.name })),
  );
  const { area } = layout;
  const bottom = area.top + area.height;
  const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  // 8 % headroom so the tallest bar's value label stays inside the plot.
  const headroom = values.length > 0 ? [Math.max(...values) * 1.08] : [];
  const y = scaleForAxis(spec.yAxis, [...values, ...headroom], [bottom, area.top], 'bar chart y axis', {
    includeZero: true,
  });
  const numCategories = Math.max(1, spec.categories.length);
  const bandPx = area.width / numCategories;
  const groupPx = bandPx * 0.8;
  const barPx = groupPx / Math.max(1, spec.series.length);
  const baseValue = y.kind === 'log' ? Math.min(y.domain[0], y.domain[1]) : 0;
  const baseY = y.map(baseValue);
  const showValues = spec.valueLabels ?? spec.categories.length * spec.series.length <= 24;

  const bars: string[] = [];
  const labels: string[] = [];
  spec.categories.forEach((category, c) => {
    const groupLeft = area.left + c * bandPx + (bandPx - groupPx) / 2;
    spec.series.forEach((s, k) => {
      const v = s.values[c];
      if (v === null || v === undefined || !y.accepts(v)) return;
      const x0 = groupLeft + k * barPx;
      const vy = y.map(v);
      const top = Math.min(vy, baseY);
      const tip = `${category} · ${s.name}: ${formatAxisValue(spec.yAxis, v)}`;
      bars.push(
        el(
          'g',
          { class: 'pt bar', 'data-series': s.name, 'data-category': category, tabindex: '0' },
          el('title', {}, textNode(tip)),
          el('rect', {
            class: 'bar-rect',
            x: x0 + 1,
            y: top,
            width: Math.max(1, barPx - 2),
            height: Math.abs(baseY - vy),
            fill: seriesColor(k),
          }),
        ),
      );
      if (showValues) {
        labels.push(
          svgText(
            { x: x0 + barPx / 2, y: top - 4, 'text-anchor': 'middle', 'font-size': 10, fill: '#333333' },
            formatAxisValue({ ...spec.yAxis, unit: '' }, v),
          ),
        );
      }
    });
    const maxChars = Math.max(3, Math.floor(bandPx / (11 * 0.58)));
    const text = category.length > maxChars ? `${category.slice(0, maxChars - 1)}…` : category;
    labels.push(
      el(
        'g',
        { class: 'category-label' },
        el('title', {}, textNode(category)),
        svgText(
          {
            x: area.left + (c + 0.5) * bandPx,
            y: bottom + 18,
            'text-anchor': 'middle',
            'font-size': 11,
            fill: '#333333',
          },
          text,
        ),
      ),
    );
  });
  const xScale: Scale = { ...linearScale([0, numCategories], [area.left, area.left + area.width]), ticks: () => [] };
  return wrapSvg({
    kind: 'bars',
    box,
    layout,
    id: spec.id,
    axes: renderAxes(area, xScale, y, spec.xAxis ?? { title: '' }, spec.yAxis),
    body: el('g', { class: 'bars' }, ...bars),
    overlay: labels.join(''),
    description: `${spec.yAxis.title} for ${spec.categories.length} categories and ${spec.series.length} series.`,
  });
}

/** Categories as rows, series as columns. */
export function barChartTable(spec: BarChartSpec): TableData {
  return {
    columns: [
      { header: spec.xAxis?.title || 'category' },
      ...spec.series.map((s) => ({ header: s.name, align: 'right' as const })),
    ],
    rows: spec.categories.map((category, c) => [
      category,
      ...spec.series.map((s) => {
        const v = s.values[c];
        return v === null || v === undefined ? '' : formatAxisValue(spec.yAxis, v);
      }),
    ]),
  };
}
