import { formatValue, type ValueFormat } from './format.js';
import { type LegendItem, type LegendLayout, layoutLegend } from './legend.js';
import type { Scale } from './scale.js';
import { el, estimateTextWidth, idFragment, svgText, textNode } from './svg.js';

/**
 * The parts every chart shares: header (title, subtitle), legend row(s), plot
 * area, axes with gridlines and titles, and the `<svg>` wrapper. Layout, top
 * to bottom, for a 900×560 chart:
 *
 *   ┌──────────────────────────────────────────┐
 *   │ title (16 px) / subtitle (12 px)         │ header
 *   │ ■ series a  ■ series b  ── device …      │ legend rows, 19 px each
 *   │   ┌────────────────────────────────────┐ │ plot area: left 84, right 28
 *   │ y │                                    │ │
 *   │   └────────────────────────────────────┘ │
 *   │      ticks              x title          │ bottom margin 58
 *   └──────────────────────────────────────────┘
 */

export interface AxisSpec {
  /** Axis title with its unit, e.g. "operational intensity (FLOP/byte)". */
  readonly title: string;
  /** How tick labels print; 'si' ticks are compact ("100T"), the unit lives in the title. Default 'plain'. */
  readonly format?: ValueFormat;
}

export interface ChartBox {
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  readonly subtitle?: string;
}

export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export const DEFAULT_WIDTH_PX = 900;
export const DEFAULT_HEIGHT_PX = 560;
export const MARGIN_PX = { left: 84, right: 28, bottom: 58 } as const;
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const TITLE_PX = 26;

// Standalone SVG files get a hover outline; the HTML page adds series highlighting with script.
const POINT_HOVER_CSS =
  '.pt{cursor:pointer}.pt:not(.line):hover>*,.pt:not(.line):focus>*{stroke:#000;stroke-width:2px}';
const SUBTITLE_PX = 18;

export interface ChartLayout {
  readonly area: PlotArea;
  readonly legend: LegendLayout;
  readonly header: string;
}

/** Places header and legend, then gives the rest to the plot area. Throws if the box is too small to plot in. */
export function layoutChart(box: ChartBox, legendItems: readonly LegendItem[]): ChartLayout {
  if (!(box.width >= 200 && box.height >= 150)) {
    throw new RangeError(`chart size must be at least 200×150 px, got ${box.width}×${box.height}`);
  }
  const header: string[] = [];
  let y = 8;
  if (box.title) {
    header.push(
      svgText({ x: MARGIN_PX.left, y: y + 17, 'font-size': 16, 'font-weight': 600, fill: '#111111' }, box.title),
    );
    y += TITLE_PX;
  }
  if (box.subtitle) {
    header.push(svgText({ x: MARGIN_PX.left, y: y + 12, 'font-size': 12, fill: '#555555' }, box.subtitle));
    y += SUBTITLE_PX;
  }
  const legend = layoutLegend(legendItems, MARGIN_PX.left, y + 2, box.width - MARGIN_PX.left - MARGIN_PX.right);
  const top = y + legend.heightPx + 12;
  const area: PlotArea = {
    left: MARGIN_PX.left,
    top,
    width: box.width - MARGIN_PX.left - MARGIN_PX.right,
    height: box.height - top - MARGIN_PX.bottom,
  };
  if (area.height < 60) throw new RangeError(`chart height ${box.height} px leaves no room to plot (legend too long?)`);
  return { area, legend, header: header.join('') };
}

/** Compact tick label: SI without unit ("100T"), IEC bytes, durations, percentages. */
export function tickLabel(value: number, format: ValueFormat = 'plain'): string {
  return formatValue(value, format);
}

/** Gridlines, frame, tick marks and labels, axis titles. Tick groups carry `data-value` for tests and tools. */
export function renderAxes(area: PlotArea, x: Scale, y: Scale, xAxis: AxisSpec, yAxis: AxisSpec): string {
  const right = area.left + area.width;
  const bottom = area.top + area.height;
  const parts: string[] = [];
  const xTicks = x.ticks().filter((v) => inside(x.map(v), area.left, right));
  const yTicks = y.ticks().filter((v) => inside(y.map(v), area.top, bottom));
  const xLabels = thinLabels(
    xTicks.map((v) => ({ value: v, text: tickLabel(v, xAxis.format), pos: x.map(v) })),
    11,
  );
  for (const t of xLabels) {
    const px = t.pos;
    parts.push(
      el(
        'g',
        { class: 'tick x-tick', 'data-value': String(t.value) },
        el('line', { x1: px, y1: area.top, x2: px, y2: bottom, stroke: '#e6e6e6' }),
        el('line', { x1: px, y1: bottom, x2: px, y2: bottom + 5, stroke: '#666666' }),
        t.show
          ? svgText({ x: px, y: bottom + 18, 'text-anchor': 'middle', 'font-size': 11, fill: '#333333' }, t.text)
          : '',
      ),
    );
  }
  for (const v of yTicks) {
    const py = y.map(v);
    parts.push(
      el(
        'g',
        { class: 'tick y-tick', 'data-value': String(v) },
        el('line', { x1: area.left, y1: py, x2: right, y2: py, stroke: '#e6e6e6' }),
        el('line', { x1: area.left - 5, y1: py, x2: area.left, y2: py, stroke: '#666666' }),
        svgText(
          { x: area.left - 8, y: py + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#333333' },
          tickLabel(v, yAxis.format),
        ),
      ),
    );
  }
  parts.push(
    el('rect', { x: area.left, y: area.top, width: area.width, height: area.height, fill: 'none', stroke: '#999999' }),
  );
  parts.push(
    svgText(
      {
        class: 'axis-title x-title',
        x: area.left + area.width / 2,
        y: bottom + 42,
        'text-anchor': 'middle',
        'font-size': 13,
        fill: '#222222',
      },
      xAxis.title,
    ),
  );
  const cy = area.top + area.height / 2;
  parts.push(
    svgText(
      {
        class: 'axis-title y-title',
        x: 18,
        y: cy,
        transform: `rotate(-90 18 ${Math.round(cy)})`,
        'text-anchor': 'middle',
        'font-size': 13,
        fill: '#222222',
      },
      yAxis.title,
    ),
  );
  return el('g', { class: 'axes' }, ...parts);
}

export interface ChartParts {
  readonly kind: string;
  readonly box: ChartBox;
  readonly layout: ChartLayout;
  readonly axes: string;
  /** Drawn clipped to the plot area. */
  readonly body: string;
  /** Drawn on top, unclipped (direct labels). */
  readonly overlay?: string;
  /** Accessible description (what the chart shows). */
  readonly description: string;
  /** Distinguishes several charts on one page; defaults to a hash of kind + title + description. */
  readonly id?: string;
}

/** The `<svg>` element around a chart's parts. */
export function wrapSvg(parts: ChartParts): string {
  const { box, layout } = parts;
  const id = parts.id ?? `${parts.kind}-${idFragment(`${parts.kind}|${box.title ?? ''}|${parts.description}`)}`;
  const { area } = layout;
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${box.width} ${box.height}`,
      width: box.width,
      height: box.height,
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      class: 'oicf-chart',
      'data-chart': parts.kind,
      id,
      'font-family': FONT_FAMILY,
    },
    el('title', { id: `${id}-title` }, textNode(box.title ?? parts.kind)),
    el('desc', { id: `${id}-desc` }, textNode(parts.description)),
    el('style', {}, POINT_HOVER_CSS),
    el('defs', {}, el('clipPath', { id: `${id}-clip` }, el('rect', { ...areaRect(area) }))),
    el('rect', { x: 0, y: 0, width: box.width, height: box.height, fill: '#ffffff' }),
    layout.header,
    layout.legend.svg,
    parts.axes,
    el('g', { class: 'plot', 'clip-path': `url(#${id}-clip)` }, parts.body),
    parts.overlay ?? '',
  );
}

function areaRect(area: PlotArea): { x: number; y: number; width: number; height: number } {
  return { x: area.left, y: area.top, width: area.width, height: area.height };
}

function inside(pos: number, a: number, b: number): boolean {
  return pos >= Math.min(a, b) - 0.5 && pos <= Math.max(a, b) + 0.5;
}

/** Hides every other label (then every third…) until neighbouring x labels no longer overlap. */
function thinLabels(
  labels: ReadonlyArray<{ value: number; text: string; pos: number }>,
  fontPx: number,
): Array<{ value: number; text: string; pos: number; show: boolean }> {
  for (let stride = 1; stride <= labels.length; stride++) {
    const shown = labels.filter((_, i) => i % stride === 0);
    const fits = shown.every((l, i) => {
      const next = shown[i + 1];
      if (!next) return true;
      const half = (estimateTextWidth(l.text, fontPx) + estimateTextWidth(next.text, fontPx)) / 2;
      return Math.abs(next.pos - l.pos) >= half + 6;
    });
    if (fits) return labels.map((l, i) => ({ ...l, show: i % stride === 0 }));
  }
  return labels.map((l, i) => ({ ...l, show: i === 0 }));
}
