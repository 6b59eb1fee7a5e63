import { formatNumber, formatSi } from './format.js';
import { spreadLabels } from './label-spread.js';
import { marker } from './markers.js';
import { deviceStyle, seriesColor, seriesMarker } from './palette.js';
import {
  attainableFlopsPerSecond,
  type RooflineDevice,
  type RooflinePoint,
  type RooflineSeries,
  ridgeIntensityFlopsPerByte,
} from './roofline-model.js';
import type { Scale } from './scale.js';
import { el, HALO, pointList, px, svgText, textNode } from './svg.js';

/** The drawing layers of the roofline: roofs with ridge markers, direct labels, pairs, points. */

export function renderRoof(d: RooflineDevice, index: number, x: Scale, y: Scale, bottomPx: number): string {
  const [xMin, xMax] = x.domain;
  const ridge = ridgeIntensityFlopsPerByte(d);
  // Vertices: left edge, the corner (if inside), right edge; y = min(peak, BW·x) at each.
  const xs = [xMin, ...(ridge > xMin && ridge < xMax ? [ridge] : []), xMax];
  const vertices = xs.map((v) => [x.map(v), y.map(attainableFlopsPerSecond(d, v))] as const);
  const style = deviceStyle(index);
  const parts = [
    el('polyline', {
      class: 'roof',
      'data-device': d.name,
      points: pointList(vertices),
      fill: 'none',
      stroke: style.color,
      'stroke-width': 2.2,
      'stroke-dasharray': style.dash || undefined,
    }),
  ];
  if (ridge > xMin && ridge < xMax) {
    const rx = x.map(ridge);
    const ry = y.map(d.peakFlopsPerSecond);
    parts.push(
      el('line', {
        class: 'ridge-marker',
        'data-device': d.name,
        'data-ridge-flops-per-byte': String(ridge),
        x1: rx,
        y1: ry,
        x2: rx,
        y2: bottomPx,
        stroke: style.color,
        'stroke-dasharray': '3 3',
        'stroke-width': 1,
      }),
      el(
        'circle',
        { class: 'ridge-point', cx: rx, cy: ry, r: 3.5, fill: style.color },
        el('title', {}, textNode(`${d.name} ridge: ${formatNumber(ridge)} FLOP/byte`)),
      ),
    );
  }
  return el('g', { class: 'device', 'data-device': d.name }, ...parts);
}

/**
 * Device labels: name, peak and bandwidth above the right end of each flat
 * roof (close peaks stack upwards), and the ridge OI rotated along each ridge
 * marker from the bottom (close ridges pushed apart sideways).
 */
export function renderDeviceLabels(
  devices: readonly RooflineDevice[],
  x: Scale,
  y: Scale,
  area: { left: number; top: number; width: number; height: number },
): string {
  const right = area.left + area.width;
  const bottom = area.top + area.height;
  const roofLabels = devices
    .map((d, i) => ({ d, i, pos: y.map(d.peakFlopsPerSecond) - 6 }))
    .filter((l) => Number.isFinite(l.pos))
    .sort((a, b) => b.pos - a.pos);
  spreadLabels(roofLabels, -15);
  const ridgeLabels = devices
    .map((d, i) => ({ d, i, ridge: ridgeIntensityFlopsPerByte(d), pos: 0 }))
    .filter((l) => l.ridge > x.domain[0] && l.ridge < x.domain[1])
    .map((l) => ({ ...l, pos: x.map(l.ridge) - 4 }))
    .sort((a, b) => b.pos - a.pos);
  spreadLabels(ridgeLabels, -13);
  const ty = bottom - 6;
  return el(
    'g',
    { class: 'device-labels' },
    ...roofLabels.map((l) =>
      svgText(
        {
          x: right - 6,
          y: Math.max(l.pos, area.top + 12),
          'text-anchor': 'end',
          'font-size': 12,
          fill: deviceStyle(l.i).color,
          ...HALO,
        },
        `${l.d.name}: ${formatSi(l.d.peakFlopsPerSecond, 'FLOP/s')}, ${formatSi(l.d.bandwidthBytesPerSecond, 'B/s')}`,
      ),
    ),
    ...ridgeLabels.map((l) =>
      svgText(
        {
          class: 'ridge-label',
          x: l.pos,
          y: ty,
          transform: `rotate(-90 ${px(l.pos)} ${px(ty)})`,
          'font-size': 11,
          fill: deviceStyle(l.i).color,
          ...HALO,
        },
        `${l.d.name} ridge ${formatNumber(l.ridge)} FLOP/B`,
      ),
    ),
  );
}

export function renderPairs(series: readonly RooflineSeries[], x: Scale, y: Scale): string {
  const predicted = new Map<string, RooflinePoint>();
  const measured = new Map<string, RooflinePoint>();
  for (const s of series) {
    for (const p of s.points) {
      if (p.pairKey === undefined) continue;
      if (p.kind === 'predicted') predicted.set(p.pairKey, p);
      else if (p.kind === 'measured') measured.set(p.pairKey, p);
    }
  }
  const lines: string[] = [];
  for (const [key, from] of predicted) {
    const to = measured.get(key);
    if (!to || !drawable(from, x, y) || !drawable(to, x, y)) continue;
    lines.push(
      el('line', {
        class: 'pair',
        'data-pair': key,
        x1: x.map(from.intensityFlopsPerByte),
        y1: y.map(from.flopsPerSecond),
        x2: x.map(to.intensityFlopsPerByte),
        y2: y.map(to.flopsPerSecond),
        stroke: '#777777',
        'stroke-width': 1.2,
        'stroke-dasharray': '4 3',
      }),
    );
  }
  return el('g', { class: 'pairs' }, ...lines);
}

function drawable(p: RooflinePoint, x: Scale, y: Scale): boolean {
  return x.accepts(p.intensityFlopsPerByte) && y.accepts(p.flopsPerSecond);
}

export function renderSeries(s: RooflineSeries, index: number, x: Scale, y: Scale): string {
  const color = seriesColor(index);
  const shape = seriesMarker(index);
  const points = s.points.filter((p) => drawable(p, x, y));
  return el(
    'g',
    { class: 'series', 'data-series': s.name },
    ...points.map((p) => {
      const tip = `${s.name}${p.label ? ` · ${p.label}` : ''}${p.kind ? ` (${p.kind})` : ''}: OI ${formatNumber(p.intensityFlopsPerByte)} FLOP/byte, ${formatSi(p.flopsPerSecond, 'FLOP/s')}`;
      return el(
        'g',
        {
          class: 'pt',
          'data-series': s.name,
          'data-kind': p.kind ?? 'point',
          tabindex: '0',
        },
        el('title', {}, textNode(tip)),
        marker(shape, x.map(p.intensityFlopsPerByte), y.map(p.flopsPerSecond), 5, color, p.kind === 'predicted'),
      );
    }),
  );
}
