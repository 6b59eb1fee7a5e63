import { DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, layoutChart, renderAxes, wrapSvg } from './chart-frame.js';
import { checkRange, positiveExtent } from './extent.js';
import { formatNumber, formatSi } from './format.js';
import type { LegendItem } from './legend.js';
import { deviceStyle, seriesColor, seriesMarker } from './palette.js';
import { renderDeviceLabels, renderPairs, renderRoof, renderSeries } from './roofline-layers.js';
import {
  attainableFlopsPerSecond,
  type RooflineDevice,
  type RooflineSpec,
  ridgeIntensityFlopsPerByte,
} from './roofline-model.js';
import { logScale } from './scale.js';
import type { TableData } from './table.js';
import { niceLogDomain } from './ticks.js';

/**
 * The classic roofline, log–log: x = operational intensity (FLOP/byte), y =
 * attainable FLOP/s. Each device draws `min(peak, bandwidth · OI)`; the corner
 * sits at the ridge OI = peak ÷ bandwidth. Points are hollow when predicted and
 * filled when measured; a predicted and a measured point sharing a `pairKey`
 * are joined by a dashed line (predicted → measured).
 */

export function renderRoofline(spec: RooflineSpec): string {
  validateDevices(spec.devices);
  const series = spec.series ?? [];
  const box = {
    width: spec.width ?? DEFAULT_WIDTH_PX,
    height: spec.height ?? DEFAULT_HEIGHT_PX,
    title: spec.title ?? 'Roofline',
    subtitle: spec.subtitle,
  };
  const allPoints = series.flatMap((s) => s.points);
  const hasPredicted = allPoints.some((p) => p.kind === 'predicted');
  const hasMeasured = allPoints.some((p) => p.kind === 'measured');
  const legend: LegendItem[] = [
    ...spec.devices.map((d, i) => ({
      label: d.name,
      color: deviceStyle(i).color,
      line: true,
      dash: deviceStyle(i).dash,
    })),
    ...series.map((s, i) => ({ label: s.name, color: seriesColor(i), marker: seriesMarker(i), series: s.name })),
  ];
  if (hasPredicted) legend.push({ label: 'hollow = predicted', color: '#444444', marker: 'circle', hollow: true });
  if (hasPredicted && hasMeasured) legend.push({ label: 'filled = measured', color: '#444444', marker: 'circle' });
  const layout = layoutChart(box, legend);
  const { area } = layout;

  const [xMin, xMax] = spec.intensityRange
    ? checkRange(spec.intensityRange, 'roofline intensityRange', true)
    : niceLogDomain(
        ...padded(
          positiveExtent(
            [...allPoints.map((p) => p.intensityFlopsPerByte), ...spec.devices.map(ridgeIntensityFlopsPerByte)],
            [0.1, 1000],
          ),
        ),
      );
  const [yMin, yMax] = spec.flopsRange
    ? checkRange(spec.flopsRange, 'roofline flopsRange', true)
    : niceLogDomain(
        ...padded(
          positiveExtent(
            [
              ...allPoints.map((p) => p.flopsPerSecond),
              ...spec.devices.flatMap((d) => [d.peakFlopsPerSecond, attainableFlopsPerSecond(d, xMin)]),
            ],
            [1e9, 1e15],
          ),
        ),
      );
  const x = logScale([xMin, xMax], [area.left, area.left + area.width]);
  const y = logScale([yMin, yMax], [area.top + area.height, area.top]);
  const xAxis = spec.xAxis ?? { title: 'operational intensity (FLOP/byte)', format: 'si' };
  const yAxis = spec.yAxis ?? { title: 'attainable performance (FLOP/s)', format: 'si' };

  const roofs = spec.devices.map((d, i) => renderRoof(d, i, x, y, area.top + area.height));
  const pairs = spec.connectPairs === false ? '' : renderPairs(series, x, y);
  const points = series.map((s, i) => renderSeries(s, i, x, y));
  const overlay = renderDeviceLabels(spec.devices, x, y, area, series);

  return wrapSvg({
    kind: 'roofline',
    box,
    layout,
    id: spec.id,
    axes: renderAxes(area, x, y, xAxis, yAxis),
    body: roofs.join('') + pairs + points.join(''),
    overlay,
    description: `Log–log roofline of ${spec.devices.map((d) => d.name).join(', ') || 'no devices'} with ${allPoints.length} points.`,
  });
}

/** The numbers behind the chart: one row per ridge, then one per point (with its share of the first device's roof). */
export function rooflineTable(spec: RooflineSpec): TableData {
  validateDevices(spec.devices);
  const first = spec.devices[0];
  const rows = spec.devices.map((d) => [
    d.name,
    'ridge',
    'device',
    formatNumber(ridgeIntensityFlopsPerByte(d)),
    formatSi(d.peakFlopsPerSecond, 'FLOP/s'),
    '',
  ]);
  for (const s of spec.series ?? []) {
    for (const p of s.points) {
      const roof = first ? attainableFlopsPerSecond(first, p.intensityFlopsPerByte) : Number.NaN;
      rows.push([
        s.name,
        p.label ?? '',
        p.kind ?? '',
        formatNumber(p.intensityFlopsPerByte),
        formatSi(p.flopsPerSecond, 'FLOP/s'),
        roof > 0 ? `${formatNumber((100 * p.flopsPerSecond) / roof)}%` : '',
      ]);
    }
  }
  return {
    columns: [
      { header: 'series / device' },
      { header: 'label' },
      { header: 'kind' },
      { header: 'OI (FLOP/byte)', align: 'right' },
      { header: 'FLOP/s', align: 'right' },
      { header: first ? `% of ${first.name} roof` : '% of roof', align: 'right' },
    ],
    rows,
  };
}

function validateDevices(devices: readonly RooflineDevice[]): void {
  devices.forEach((d, i) => {
    if (!(d.peakFlopsPerSecond > 0) || !(d.bandwidthBytesPerSecond > 0)) {
      throw new RangeError(
        `roofline device ${i} (${d.name}): peakFlopsPerSecond and bandwidthBytesPerSecond must be > 0, got ${d.peakFlopsPerSecond} and ${d.bandwidthBytesPerSecond}`,
      );
    }
  });
}

// Half a decade of air around the data before rounding out to whole decades.
function padded([min, max]: [number, number]): [number, number] {
  return [min / 3, max * 3];
}
