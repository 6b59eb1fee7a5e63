import { marker } from './markers.js';
import type { MarkerShape } from './palette.js';
import { el, estimateTextWidth, svgText } from './svg.js';

/** One legend entry: a marker, a line sample, or both. */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly marker?: MarkerShape;
  readonly hollow?: boolean;
  /** Draw a line sample; `dash` is an SVG stroke-dasharray ('' = solid). */
  readonly line?: boolean;
  readonly dash?: string;
  /** Series name, so hover highlighting can pick the legend entry too. */
  readonly series?: string;
  /** Filled swatch (regions) instead of a marker or line. */
  readonly swatch?: boolean;
}

export interface LegendLayout {
  readonly svg: string;
  readonly numRows: number;
  readonly heightPx: number;
}

const FONT_PX = 12;
const ROW_PX = 19;
const SAMPLE_PX = 26;
const GAP_PX = 18;

/** Lays items left to right from (x, y), wrapping at maxWidthPx. Returns markup and the height used. */
export function layoutLegend(items: readonly LegendItem[], x: number, y: number, maxWidthPx: number): LegendLayout {
  if (items.length === 0) return { svg: '', numRows: 0, heightPx: 0 };
  const parts: string[] = [];
  let cx = x;
  let row = 0;
  for (const item of items) {
    const width = SAMPLE_PX + 4 + estimateTextWidth(item.label, FONT_PX);
    if (cx > x && cx + width > x + maxWidthPx) {
      row += 1;
      cx = x;
    }
    const cy = y + row * ROW_PX + ROW_PX / 2;
    parts.push(renderItem(item, cx, cy));
    cx += width + GAP_PX;
  }
  const numRows = row + 1;
  return {
    svg: el('g', { class: 'legend' }, ...parts),
    numRows,
    heightPx: numRows * ROW_PX,
  };
}

function renderItem(item: LegendItem, x: number, cy: number): string {
  const sample: string[] = [];
  if (item.swatch) {
    sample.push(el('rect', { x, y: cy - 6, width: SAMPLE_PX - 4, height: 12, fill: item.color, stroke: '#999999' }));
  }
  if (item.line) {
    sample.push(
      el('line', {
        x1: x,
        y1: cy,
        x2: x + SAMPLE_PX - 4,
        y2: cy,
        stroke: item.color,
        'stroke-width': 2,
        'stroke-dasharray': item.dash ? item.dash : undefined,
      }),
    );
  }
  if (item.marker) sample.push(marker(item.marker, x + (SAMPLE_PX - 4) / 2, cy, 4.5, item.color, item.hollow ?? false));
  return el(
    'g',
    { class: 'legend-item', 'data-series': item.series },
    ...sample,
    svgText({ x: x + SAMPLE_PX + 2, y: cy + 4, 'font-size': FONT_PX, fill: '#222222' }, item.label),
  );
}
