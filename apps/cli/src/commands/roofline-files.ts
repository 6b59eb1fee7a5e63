import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CalibrationProfileFile, RooflinePoint, WeightPrecision } from '@oicf/kernels';
import { type RooflineDevice, type RooflineSeries, renderHtmlPage, renderRoofline, rooflineTable } from '@oicf/plot';

/** Roofs per calibrated precision that the sweep uses. */
function roofs(cal: CalibrationProfileFile, precisions: readonly WeightPrecision[]): RooflineDevice[] {
  return precisions.flatMap((p) => {
    const peak = cal.peakFlopsPerSecond[p];
    return peak === undefined
      ? []
      : [
          {
            name: `this machine ${p}`,
            peakFlopsPerSecond: peak,
            bandwidthBytesPerSecond: cal.memoryBandwidthBytesPerSecond,
          },
        ];
  });
}

function series(points: readonly RooflinePoint[]): RooflineSeries[] {
  const groups = new Map<string, RooflinePoint[]>();
  for (const p of points)
    groups.set(`${p.modelId} ${p.weights}`, [...(groups.get(`${p.modelId} ${p.weights}`) ?? []), p]);
  return [...groups.entries()].map(([name, ps]) => ({
    name,
    points: ps.flatMap((p, i) => {
      const label = p.phase === 'prefill' ? `prefill ${p.newTokens}` : `decode b${p.batch} L${p.contextTokens[0]}`;
      const key = `${name} ${i}`;
      return [
        {
          intensityFlopsPerByte: p.countedIntensityFlopsPerByte,
          flopsPerSecond: p.achievedFlopsPerSecond,
          label,
          kind: 'measured' as const,
          pairKey: key,
        },
        {
          intensityFlopsPerByte: p.predictedIntensityFlopsPerByte,
          flopsPerSecond: p.predictedFlops / p.predictedSeconds,
          label,
          kind: 'predicted' as const,
          pairKey: key,
        },
      ];
    }),
  }));
}

/** Writes roofline.svg, roofline.html and roofline.json (`result`) into `outDir`. */
export function writeRooflineFiles(
  outDir: string,
  cal: CalibrationProfileFile,
  precisions: readonly WeightPrecision[],
  points: readonly RooflinePoint[],
  result: object,
): void {
  const spec = {
    title: 'Tiny transformer kernels on this machine',
    subtitle: 'measured (filled) vs @oicf/core predicted (hollow); OI = counted FLOPs ÷ counted weight + KV bytes',
    devices: roofs(cal, precisions),
    series: series(points),
  };
  const svg = renderRoofline(spec);
  const html = renderHtmlPage({
    title: 'oicf roofline',
    subtitle: cal.source,
    sections: [
      {
        heading: 'Measured kernels on the calibrated roofline',
        text: 'Each step of the tiny models (prefill over an empty cache; decode at a given context and batch) is timed with onnxruntime; FLOPs and bytes come from the per-node counter (bytes = weights + KV read + KV written). Hollow points are @oicf/core predictions for the same step on this machine, joined to their measurement.',
        svg,
        table: rooflineTable(spec),
      },
    ],
    footer: `calibration measured ${cal.details.measuredAt}; ${points.length} points`,
  });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'roofline.svg'), svg);
  writeFileSync(join(outDir, 'roofline.html'), html);
  writeFileSync(join(outDir, 'roofline.json'), `${JSON.stringify(result, null, 2)}\n`);
}
