import { DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, layoutChart, renderAxes, wrapSvg } from './chart-frame.js';
import { checkRange, positiveExtent } from './extent.js';
import { formatBytes, formatNumber } from './format.js';
import type { LegendItem } from './legend.js';
import { renderDeviceLabels, renderDeviceLines, renderRegions, renderTrajectory } from './oicf-plane-layers.js';
import { capacityWallBytes, type OicfPlaneSpec, planeRegion, ridgeOf } from './oicf-plane-model.js';
import { deviceStyle, seriesColor, seriesMarker } from './palette.js';
import { logScale } from './scale.js';
import type { TableData } from './table.js';
import { niceBinaryLogDomain, niceLogDomain } from './ticks.js';

/**
 * The OI–CF plane: x = capacity footprint per request (bytes, log), y =
 * operational intensity (FLOP/byte, log). Per device, a horizontal ridge line
 * at peak ÷ bandwidth splits compute- from bandwidth-bound, and a vertical
 * capacity wall at memory capacity ÷ concurrent requests splits off the points
 * whose batch no longer fits. The first device's lines shade four regions:
 *
 *        OI ▲  compute-bound        │ capacity-bound
 *   ridge ──┼───────────────────────┼──────────────────────────────
 *           │  bandwidth-bound      │ capacity-and-bandwidth-bound
 *           └───────────────────────┴────────────────────────────▶ CF
 *                                 wall
 *
 * Series are trajectories (e.g. one agent session, turn 1..30), joined in the
 * given order with start and end markers.
 */

export function renderOicfPlane(spec: OicfPlaneSpec): string {
  validate(spec);
  const n = spec.numConcurrentRequests ?? 1;
  const series = spec.series ?? [];
  const box = {
    width: spec.width ?? DEFAULT_WIDTH_PX,
    height: spec.height ?? DEFAULT_HEIGHT_PX,
    title: spec.title ?? 'Operational intensity vs capacity footprint',
    subtitle: spec.subtitle,
  };
  const legend: LegendItem[] = [
    ...series.map((s, i) => ({
      label: s.name,
      color: seriesColor(i),
      marker: seriesMarker(i),
      line: (s.connect ?? spec.connect) !== false,
      series: s.name,
    })),
    ...spec.devices.map((d, i) => ({
      label: d.name,
      color: deviceStyle(i).color,
      line: true,
      dash: deviceStyle(i).dash,
    })),
  ];
  if (series.some((s) => s.points.length > 1 && (s.connect ?? spec.connect) !== false)) {
    legend.push({ label: 'start', color: '#444444', marker: 'circle', hollow: true });
    legend.push({ label: 'end', color: '#444444', marker: 'square', hollow: true });
  }
  const layout = layoutChart(box, legend);
  const { area } = layout;
  const right = area.left + area.width;
  const bottom = area.top + area.height;

  const points = series.flatMap((s) => s.points);
  const [xMin, xMax] = spec.footprintRange
    ? checkRange(spec.footprintRange, 'OI–CF plane footprintRange', true)
    : niceBinaryLogDomain(
        ...pad(
          positiveExtent(
            [...points.map((p) => p.capacityFootprintBytes), ...spec.devices.map((d) => capacityWallBytes(d, n))],
            [2 ** 20, 2 ** 40],
          ),
          2,
        ),
      );
  const [yMin, yMax] = spec.intensityRange
    ? checkRange(spec.intensityRange, 'OI–CF plane intensityRange', true)
    : niceLogDomain(
        ...pad(
          positiveExtent([...points.map((p) => p.intensityFlopsPerByte), ...spec.devices.map(ridgeOf)], [0.1, 1000]),
          3,
        ),
      );
  const x = logScale([xMin, xMax], [area.left, right], 2, 9);
  const y = logScale([yMin, yMax], [bottom, area.top]);
  const xAxis = spec.xAxis ?? { title: 'capacity footprint per request (bytes)', format: 'bytes' };
  const yAxis = spec.yAxis ?? { title: 'operational intensity (FLOP/byte)', format: 'si' };

  const first = spec.devices[0];
  const regions = first && spec.shadeRegions !== false ? renderRegions(first, n, x, y, area) : '';
  const lines = spec.devices.map((d, i) => renderDeviceLines(d, i, n, x, y, area)).join('');
  const trajectories = series
    .map((s, i) => renderTrajectory(s, i, x, y, (s.connect ?? spec.connect) !== false, first, n))
    .join('');
  const overlay = renderDeviceLabels(spec.devices, n, x, y, area, spec.shadeRegions !== false, series);

  return wrapSvg({
    kind: 'oicf-plane',
    box,
    layout,
    id: spec.id,
    axes: renderAxes(area, x, y, xAxis, yAxis),
    body: regions + lines + trajectories,
    overlay,
    description: `OI–CF plane for ${spec.devices.map((d) => d.name).join(', ') || 'no devices'} at ${n} concurrent request(s), ${points.length} points in ${series.length} series.`,
  });
}

/**
 * One row per point: footprint, intensity and region for each device (first device first), plus each
 * point's batch when the points carry their own.
 */
export function oicfPlaneTable(spec: OicfPlaneSpec): TableData {
  validate(spec);
  const n = spec.numConcurrentRequests ?? 1;
  const points = (spec.series ?? []).flatMap((s) => s.points.map((p) => ({ s, p })));
  const perPoint = points.some(({ p }) => p.numConcurrentRequests !== undefined);
  const rows = points.map(({ s, p }) => [
    s.name,
    p.label ?? '',
    ...(perPoint ? [formatNumber(p.numConcurrentRequests ?? n)] : []),
    formatBytes(p.capacityFootprintBytes),
    formatNumber(p.intensityFlopsPerByte),
    ...spec.devices.map((d) => planeRegion(p, d, n)),
  ]);
  const wallAt = (d: (typeof spec.devices)[number]) =>
    perPoint ? "at the point's batch" : `wall ${formatBytes(capacityWallBytes(d, n))}`;
  return {
    columns: [
      { header: 'series' },
      { header: 'point' },
      ...(perPoint ? [{ header: 'batch', align: 'right' as const }] : []),
      { header: 'CF per request', align: 'right' },
      { header: 'OI (FLOP/byte)', align: 'right' },
      ...spec.devices.map((d) => ({ header: `region on ${d.name} (${wallAt(d)})` })),
    ],
    rows,
  };
}

function validate(spec: OicfPlaneSpec): void {
  const n = spec.numConcurrentRequests ?? 1;
  if (!(n > 0)) throw new RangeError(`OI–CF plane: numConcurrentRequests must be > 0, got ${n}`);
  spec.devices.forEach((d, i) => {
    const bad: string[] = (['peakFlopsPerSecond', 'bandwidthBytesPerSecond', 'memoryCapacityBytes'] as const).filter(
      (k) => !(d[k] > 0),
    );
    if (d.numConcurrentRequests !== undefined && !(d.numConcurrentRequests > 0)) bad.push('numConcurrentRequests');
    if (bad.length > 0) {
      throw new RangeError(`OI–CF plane device ${i} (${d.name}): ${bad.join(', ')} must be > 0`);
    }
  });
}

function pad([min, max]: [number, number], factor: number): [number, number] {
  return [min / factor, max * factor];
}
