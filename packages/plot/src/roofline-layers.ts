import { formatNumber, formatSi } from './format.js';
import {
  horizontalTextBox,
  lineObstacles,
  type Obstacle,
  placeLabels,
  pointObstacle,
  verticalTextBox,
} from './label-place.js';
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
 * Device labels: name, peak and bandwidth just above (else below) the right end of each flat roof, and
 * the ridge OI beside each ridge marker, rotated along it. Labels go where they cross no roof, no marker
 * and no other label (label-place.ts): when ridges sit close together, the crowded ones move to a
 * horizontal stack beside the group of markers instead of piling onto each other's lines.
 */
export function renderDeviceLabels(
  devices: readonly RooflineDevice[],
  x: Scale,
  y: Scale,
  area: { left: number; top: number; width: number; height: number },
  series: readonly RooflineSeries[] = [],
): string {
  const right = area.left + area.width;
  const bottom = area.top + area.height;
  const bounds = { x0: area.left, y0: area.top, x1: right, y1: bottom };
  const obstacles: Obstacle[] = [
    ...devices.flatMap((d) => roofObstacles(d, x, y, bottom)),
    ...series.flatMap((s) =>
      s.points
        .filter((p) => drawable(p, x, y))
        .map((p) => pointObstacle(x.map(p.intensityFlopsPerByte), y.map(p.flopsPerSecond), 6)),
    ),
  ];
  const markers = devices
    .map((d) => ridgeIntensityFlopsPerByte(d))
    .filter((r) => r > x.domain[0] && r < x.domain[1])
    .map((r) => x.map(r));
  const minMarker = Math.min(...markers);
  const maxMarker = Math.max(...markers);
  const rows = Array.from({ length: devices.length + 2 }, (_, k) => k);

  const roofText = (d: RooflineDevice) =>
    `${d.name}: ${formatSi(d.peakFlopsPerSecond, 'FLOP/s')}, ${formatSi(d.bandwidthBytesPerSecond, 'B/s')}`;
  const roofCandidates = devices.map((d) => {
    const py = y.map(d.peakFlopsPerSecond);
    const text = roofText(d);
    const ys = rows.flatMap((k) => [py - 6 - 15 * k, py + 14 + 15 * k]);
    return ys.map((ty) => ({
      box: horizontalTextBox(text, 12, right - 6, ty, 'end'),
      value: { x: right - 6, y: ty },
      crosses: ['v'],
    }));
  });
  const ridgeCandidates = devices.map((d) => {
    const ridge = ridgeIntensityFlopsPerByte(d);
    if (!(ridge > x.domain[0] && ridge < x.domain[1])) return [];
    const rx = x.map(ridge);
    const text = ridgeText(d);
    const ty = bottom - 6;
    const rotated = [rx - 6, rx + 12].map((tx) => ({
      box: verticalTextBox(text, 11, tx, ty, 'start'),
      value: { x: tx, y: ty, rotated: true, anchor: 'start' as const },
      crosses: ['h'],
    }));
    const flat = (tx: number, anchor: 'start' | 'end') =>
      rows.map((k) => ({
        box: horizontalTextBox(text, 11, tx, ty - 14 * k, anchor),
        value: { x: tx, y: ty - 14 * k, rotated: false, anchor },
      }));
    return [
      ...rotated,
      ...flat(rx + 4, 'start'),
      ...flat(rx - 4, 'end'),
      ...flat(maxMarker + 4, 'start'),
      ...flat(minMarker - 4, 'end'),
    ];
  });
  const chosen = placeLabels([...roofCandidates, ...ridgeCandidates], obstacles, bounds);
  const roofAt = chosen.slice(0, devices.length);
  const ridgeAt = chosen.slice(devices.length);
  return el(
    'g',
    { class: 'device-labels' },
    ...devices.flatMap((d, i) => {
      const at = roofAt[i] as { x: number; y: number } | undefined;
      if (at === undefined) return [];
      const attrs = { class: 'roof-label', 'data-device': d.name, x: at.x, y: at.y, 'text-anchor': 'end' };
      return [svgText({ ...attrs, 'font-size': 12, fill: deviceStyle(i).color, ...HALO }, roofText(d))];
    }),
    ...devices.flatMap((d, i) => {
      const at = ridgeAt[i] as { x: number; y: number; rotated: boolean; anchor: 'start' | 'end' } | undefined;
      if (at === undefined) return [];
      return [
        svgText(
          {
            class: 'ridge-label',
            'data-device': d.name,
            x: at.x,
            y: at.y,
            transform: at.rotated ? `rotate(-90 ${px(at.x)} ${px(at.y)})` : undefined,
            'text-anchor': at.anchor,
            'font-size': 11,
            fill: deviceStyle(i).color,
            ...HALO,
          },
          ridgeText(d),
        ),
      ];
    }),
  );
}

function ridgeText(d: RooflineDevice): string {
  return `${d.name} ridge ${formatNumber(ridgeIntensityFlopsPerByte(d))} FLOP/B`;
}

/** A device's roof (sloped and flat part) and its ridge marker, as obstacles for labels. */
function roofObstacles(d: RooflineDevice, x: Scale, y: Scale, bottomPx: number): Obstacle[] {
  const [xMin, xMax] = x.domain;
  const ridge = ridgeIntensityFlopsPerByte(d);
  const inside = ridge > xMin && ridge < xMax;
  const xs = [xMin, ...(inside ? [ridge] : []), xMax];
  const pts = xs.map((v) => [x.map(v), y.map(attainableFlopsPerSecond(d, v))] as const);
  const out: Obstacle[] = [];
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1] as readonly [number, number];
    const b = pts[i] as readonly [number, number];
    if ([...a, ...b].every(Number.isFinite)) out.push(...lineObstacles(a[0], a[1], b[0], b[1]));
  }
  if (inside) out.push(...lineObstacles(x.map(ridge), y.map(d.peakFlopsPerSecond), x.map(ridge), bottomPx));
  return out;
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
