import { formatBytes, formatNumber } from './format.js';
import {
  horizontalTextBox,
  lineObstacles,
  type Obstacle,
  placeLabels,
  pointObstacle,
  verticalTextBox,
} from './label-place.js';
import { marker } from './markers.js';
import {
  capacityWallBytes,
  type PlaneDevice,
  type PlaneRegion,
  type PlaneSeries,
  planeRegion,
  REGION_TITLES,
  ridgeOf,
  wallText,
} from './oicf-plane-model.js';
import { deviceStyle, REGIME_FILLS, seriesColor, seriesMarker } from './palette.js';
import type { Scale } from './scale.js';
import { el, estimateTextWidth, HALO, pointList, px, svgText, textNode } from './svg.js';

/** The drawing layers of the OI–CF plane: shaded regions, device lines, direct labels, trajectories. */

function clamp(v: number, a: number, b: number): number {
  return Math.min(Math.max(v, Math.min(a, b)), Math.max(a, b));
}

export interface Area {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export function renderRegions(d: PlaneDevice, n: number, x: Scale, y: Scale, area: Area): string {
  const right = area.left + area.width;
  const bottom = area.top + area.height;
  const wx = clamp(x.map(capacityWallBytes(d, n)), area.left, right);
  const ry = clamp(y.map(ridgeOf(d)), area.top, bottom);
  const boxes: Array<{
    region: PlaneRegion;
    x0: number;
    y0: number;
    x1: number;
    y1: number;
    anchor: 'tl' | 'bl' | 'tr' | 'br';
  }> = [
    { region: 'compute-bound', x0: area.left, y0: area.top, x1: wx, y1: ry, anchor: 'tl' },
    { region: 'bandwidth-bound', x0: area.left, y0: ry, x1: wx, y1: bottom, anchor: 'bl' },
    { region: 'capacity-bound', x0: wx, y0: area.top, x1: right, y1: ry, anchor: 'tr' },
    { region: 'capacity-and-bandwidth-bound', x0: wx, y0: ry, x1: right, y1: bottom, anchor: 'br' },
  ];
  const parts: string[] = [];
  for (const b of boxes) {
    const w = b.x1 - b.x0;
    const h = b.y1 - b.y0;
    if (w <= 0 || h <= 0) continue;
    parts.push(
      el('rect', {
        class: 'region',
        'data-region': b.region,
        x: b.x0,
        y: b.y0,
        width: w,
        height: h,
        fill: REGIME_FILLS[b.region],
      }),
    );
    const label = REGION_TITLES[b.region];
    // Bold text runs ~10 % wider than the estimate. The top-left region leaves room for the wall labels
    // that hang from the top along its right edge; the bottom-right region leaves room for the ridge
    // labels along its top. Narrow regions get a smaller font before the label is dropped.
    const reservePx = b.anchor === 'tl' ? 22 : 12;
    const fontPx = [13, 11, 10].find((f) => w >= estimateTextWidth(label, f) * 1.1 + reservePx);
    const needH = b.anchor === 'br' ? 56 : 26;
    if (fontPx === undefined || h < needH) continue;
    const left = b.anchor === 'tl' || b.anchor === 'bl';
    const top = b.anchor === 'tl' || b.anchor === 'tr';
    parts.push(
      svgText(
        {
          class: 'region-label',
          'data-region': b.region,
          x: left ? b.x0 + 6 : b.x1 - 8,
          y: top ? b.y0 + 18 : b.y1 - 8,
          'text-anchor': left ? 'start' : 'end',
          'font-size': fontPx,
          'font-weight': 600,
          fill: '#555555',
        },
        label,
      ),
    );
  }
  return el('g', { class: 'regions', 'data-device': d.name }, ...parts);
}

export function renderDeviceLines(d: PlaneDevice, index: number, n: number, x: Scale, y: Scale, area: Area): string {
  const style = deviceStyle(index);
  const ridge = ridgeOf(d);
  const wall = capacityWallBytes(d, n);
  const ry = y.map(ridge);
  const wx = x.map(wall);
  const stroke = { stroke: style.color, 'stroke-width': 1.8, 'stroke-dasharray': style.dash || undefined };
  return el(
    'g',
    { class: 'device', 'data-device': d.name },
    el(
      'line',
      {
        class: 'ridge-line',
        'data-device': d.name,
        'data-ridge-flops-per-byte': String(ridge),
        x1: area.left,
        y1: ry,
        x2: area.left + area.width,
        y2: ry,
        ...stroke,
      },
      el('title', {}, textNode(`${d.name} ridge: ${formatNumber(ridge)} FLOP/byte (peak ÷ bandwidth)`)),
    ),
    el(
      'line',
      {
        class: 'capacity-line',
        'data-device': d.name,
        'data-capacity-wall-bytes': String(wall),
        x1: wx,
        y1: area.top,
        x2: wx,
        y2: area.top + area.height,
        ...stroke,
      },
      el('title', {}, textNode(`${d.name} capacity wall: ${formatBytes(wall)} per request (${wallText(d, n)})`)),
    ),
  );
}

/**
 * Ridge labels sit under (else over) the right end of each ridge line; wall labels run down along the
 * left (else right) side of each wall from the top. Labels go where they cross no device line, no region
 * title and no other label (label-place.ts): devices with close ridges or walls get their labels stacked
 * beside the group of lines instead of on top of each other's.
 */
export function renderDeviceLabels(
  devices: readonly PlaneDevice[],
  n: number,
  x: Scale,
  y: Scale,
  area: Area,
  shadeRegions = true,
  series: readonly PlaneSeries[] = [],
): string {
  const right = area.left + area.width;
  const bottom = area.top + area.height;
  const bounds = { x0: area.left, y0: area.top, x1: right, y1: bottom };
  const ridgeYs = devices.map((d) => y.map(ridgeOf(d))).filter((v) => v > area.top && v < bottom);
  const wallXs = devices.map((d) => x.map(capacityWallBytes(d, n))).filter((v) => v > area.left && v < right);
  const obstacles: Obstacle[] = [
    ...ridgeYs.flatMap((ry) => lineObstacles(area.left, ry, right, ry)),
    ...wallXs.flatMap((wx) => lineObstacles(wx, area.top, wx, bottom)),
    ...(shadeRegions ? regionTitleBoxes(area) : []),
    ...series.flatMap((s) =>
      s.points
        .filter((p) => x.accepts(p.capacityFootprintBytes) && y.accepts(p.intensityFlopsPerByte))
        .map((p) => pointObstacle(x.map(p.capacityFootprintBytes), y.map(p.intensityFlopsPerByte), 6)),
    ),
  ];
  const rows = Array.from({ length: devices.length + 2 }, (_, k) => k);
  const ridgeCandidates = devices.map((d) => {
    const ry = y.map(ridgeOf(d));
    if (!(ry > area.top && ry < bottom)) return [];
    const text = ridgeText(d);
    const ys = [
      ry + 13,
      ry - 6,
      ...rows.map((k) => Math.max(...ridgeYs) + 13 + 13 * k),
      ...rows.map((k) => Math.min(...ridgeYs) - 6 - 13 * k),
    ];
    return ys.map((ty) => ({
      box: horizontalTextBox(text, 11, right - 6, ty, 'end'),
      value: { x: right - 6, y: ty, rotated: false, anchor: 'end' as const },
      crosses: ['v'],
    }));
  });
  const ty = area.top + 6;
  const wallCandidates = devices.map((d) => {
    const wx = x.map(capacityWallBytes(d, n));
    if (!(wx > area.left && wx < right)) return [];
    const text = wallLabelText(d, n);
    // Along the wall, reading down: from the top (preferred), from the middle, or ending at the bottom.
    const length = estimateTextWidth(text, 11);
    const starts = [ty, (area.top + bottom - length) / 2, bottom - 6 - length];
    const rotated = starts.flatMap((y0) =>
      [wx - 6, wx + 13].map((tx) => ({
        box: verticalTextBox(text, 11, tx, y0, 'end'),
        value: { x: tx, y: y0, rotated: true, anchor: 'end' as const },
        crosses: ['h'],
      })),
    );
    const flat = (tx: number, anchor: 'start' | 'end') =>
      rows.map((k) => ({
        box: horizontalTextBox(text, 11, tx, ty + 8 + 13 * k, anchor),
        value: { x: tx, y: ty + 8 + 13 * k, rotated: false, anchor },
      }));
    return [...rotated, ...flat(Math.max(...wallXs) + 5, 'start'), ...flat(Math.min(...wallXs) - 5, 'end')];
  });
  const chosen = placeLabels([...ridgeCandidates, ...wallCandidates], obstacles, bounds);
  const draw = (cls: string, i: number, text: string, at: LabelAt | undefined) =>
    at === undefined
      ? []
      : [
          svgText(
            {
              class: cls,
              'data-device': devices[i]?.name,
              x: at.x,
              y: at.y,
              transform: at.rotated ? `rotate(-90 ${px(at.x)} ${px(at.y)})` : undefined,
              'text-anchor': at.anchor,
              'font-size': 11,
              fill: deviceStyle(i).color,
              ...HALO,
            },
            text,
          ),
        ];
  return el(
    'g',
    { class: 'device-labels' },
    ...devices.flatMap((d, i) => draw('ridge-label', i, ridgeText(d), chosen[i] as LabelAt | undefined)),
    ...devices.flatMap((d, i) =>
      draw('wall-label', i, wallLabelText(d, n), chosen[devices.length + i] as LabelAt | undefined),
    ),
  );
}

interface LabelAt {
  readonly x: number;
  readonly y: number;
  readonly rotated: boolean;
  readonly anchor: 'start' | 'end';
}

function ridgeText(d: PlaneDevice): string {
  return `${d.name} ridge ${formatNumber(ridgeOf(d))} FLOP/B`;
}

function wallLabelText(d: PlaneDevice, n: number): string {
  return `${d.name} wall ${formatBytes(capacityWallBytes(d, n))}`;
}

/** Where renderRegions may put the four region titles (at their largest font), as label obstacles. */
function regionTitleBoxes(area: Area): Obstacle[] {
  const right = area.left + area.width;
  const bottom = area.top + area.height;
  const title = (r: PlaneRegion) => REGION_TITLES[r];
  const boxes = [
    horizontalTextBox(title('compute-bound'), 13 * 1.1, area.left + 6, area.top + 18, 'start'),
    horizontalTextBox(title('bandwidth-bound'), 13 * 1.1, area.left + 6, bottom - 8, 'start'),
    horizontalTextBox(title('capacity-bound'), 13 * 1.1, right - 8, area.top + 18, 'end'),
    horizontalTextBox(title('capacity-and-bandwidth-bound'), 13 * 1.1, right - 8, bottom - 8, 'end'),
  ];
  return boxes.map((b) => ({ ...b, kind: 'region-title' }));
}

export function renderTrajectory(
  s: PlaneSeries,
  index: number,
  x: Scale,
  y: Scale,
  connect: boolean,
  first: PlaneDevice | undefined,
  n: number,
): string {
  const color = seriesColor(index);
  const shape = seriesMarker(index);
  const pts = s.points.filter((p) => x.accepts(p.capacityFootprintBytes) && y.accepts(p.intensityFlopsPerByte));
  const xy = pts.map((p) => [x.map(p.capacityFootprintBytes), y.map(p.intensityFlopsPerByte)] as const);
  const parts: string[] = [];
  if (connect && xy.length > 1) {
    parts.push(
      el('polyline', {
        class: 'trajectory',
        'data-series': s.name,
        points: pointList(xy),
        fill: 'none',
        stroke: color,
        'stroke-width': 1.8,
        'stroke-opacity': 0.85,
      }),
    );
  }
  pts.forEach((p, k) => {
    const [cx, cy] = xy[k] as readonly [number, number];
    const region = first ? ` — ${REGION_TITLES[planeRegion(p, first, n)]} on ${first.name}` : '';
    const tip = `${s.name}${p.label ? ` · ${p.label}` : ''}: CF ${formatBytes(p.capacityFootprintBytes)} per request, OI ${formatNumber(p.intensityFlopsPerByte)} FLOP/byte${region}`;
    parts.push(
      el(
        'g',
        { class: 'pt', 'data-series': s.name, 'data-kind': 'workflow-point', 'data-index': String(k), tabindex: '0' },
        el('title', {}, textNode(tip)),
        marker(shape, cx, cy, 4, color, false),
      ),
    );
  });
  const start = xy[0];
  const end = xy[xy.length - 1];
  if (connect && start && end && xy.length > 1) {
    parts.push(marker('circle', start[0], start[1], 8, color, true, { class: 'start-marker', fill: 'none' }));
    parts.push(marker('square', end[0], end[1], 8, color, true, { class: 'end-marker', fill: 'none' }));
  }
  return el('g', { class: 'series', 'data-series': s.name }, ...parts);
}
