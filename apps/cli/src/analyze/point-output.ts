import { formatBytes, formatNumber, formatPercent, formatSeconds, formatSi, type TableData } from '@oicf/plot';
import { describeConvention } from './convention-text.js';
import { toCsv } from './csv.js';
import type { AnalyzeInputs } from './resolve-inputs.js';
import type { PointRun } from './run-point.js';

/**
 * What a point query prints: a JSON object (machine-readable, full precision,
 * units in field names), an aligned summary and per-operator table, or the
 * per-operator rows as CSV. All name the convention.
 */

/** JSON body of `oicf analyze --json` for a point. Infinite intensities (no bytes moved) print as null. */
export function pointJson(run: PointRun, inputs: AnalyzeInputs): Record<string, unknown> {
  const r = run.result;
  return {
    convention: r.convention,
    conventionSummary: describeConvention(inputs.convention),
    conventionOptions: r.conventionOptions,
    model: { id: run.model.id, displayName: run.model.displayName },
    device: {
      id: run.device.id,
      displayName: run.device.displayName,
      ...(run.device.id === 'this-machine' && inputs.thisMachine ? { figuresFrom: inputs.thisMachine } : {}),
    },
    warnings: run.warnings,
    precision: r.precision,
    precisionId: run.precisionId,
    phase: r.phase,
    batch: r.batch,
    numNewTokens: r.numNewTokens,
    contextTokens: run.query.phase === 'decode' ? run.query.contextTokens : (run.query.cachedTokens ?? 0),
    numDevices: r.numDevices,
    kvPlacement: inputs.kvPlacement
      ? { tierId: inputs.kvPlacement.tier.id, fractionInTier: inputs.kvPlacement.fractionInTier }
      : null,
    kvBytesPerToken: run.kvBytesPerToken,
    weightBytes: run.weightBytes,
    flops: r.flops,
    bytes: r.bytes.totalBytes,
    bytesBreakdown: r.bytes,
    // One device's share: operationalIntensity = flopsPerDevice / bytesPerDevice, which differs from
    // flops / bytes when KV is replicated across the devices (kv heads < devices, or MLA).
    flopsPerDevice: r.flopsPerDevice,
    bytesPerDevice: r.bytesPerDevice,
    // The short name and the house-style name with its unit; same value.
    operationalIntensity: finiteOrNull(r.operationalIntensityFlopsPerByte),
    operationalIntensityFlopsPerByte: finiteOrNull(r.operationalIntensityFlopsPerByte),
    capacityFootprintBytes: r.capacityFootprint.totalBytes,
    capacityFootprint: r.capacityFootprint,
    residentBytes: r.residentBytes,
    capacityBytes: r.capacityBytes,
    fits: r.fits,
    regime: r.regime,
    batchMax: r.batchMax,
    ridgeFlopsPerByte: r.ridgeFlopsPerByte,
    peakFlopsPerSecond: r.peakFlopsPerSecond,
    memoryBandwidthBytesPerSecond: r.memoryBandwidthBytesPerSecond,
    attainableFlopsPerSecond: r.attainableFlopsPerSecond,
    attainableFlopsPerSecondAtBatchMax: r.attainableFlopsPerSecondAtBatchMax,
    predicted: r.predicted,
    mfu: r.mfu,
    mbu: r.mbu,
    communicationBytesPerDevice: r.communicationBytesPerDevice,
    operators: r.operators.map((o) => ({
      operator: o.operator,
      numLayers: o.numLayers,
      flops: o.flops,
      bytes: o.bytes.totalBytes,
      weightBytes: o.bytes.weightBytes,
      kvReadBytes: o.bytes.kvReadBytes,
      kvWriteBytes: o.bytes.kvWriteBytes,
      activationBytes: o.bytes.activationBytes,
      operationalIntensityFlopsPerByte: finiteOrNull(o.operationalIntensityFlopsPerByte),
    })),
  };
}

/** First line of the text report. */
export function pointHeadline(run: PointRun): string {
  const r = run.result;
  const q = run.query;
  const shape =
    q.phase === 'prefill'
      ? `prefill of ${count(r.numNewTokens / r.batch)} new tokens over ${count(q.cachedTokens ?? 0)} cached`
      : `decode at ${count(typeof q.contextTokens === 'number' ? q.contextTokens : 0)} tokens of context`;
  const devices = r.numDevices > 1 ? `${r.numDevices} × ${run.device.displayName}` : run.device.displayName;
  return `${run.model.displayName} on ${devices}: ${shape}, batch ${r.batch}, ${run.precisionId} (weights ${r.precision.weights}, KV ${r.precision.kv}, math ${r.precision.activations})`;
}

export function pointSummaryTable(run: PointRun): TableData {
  const r = run.result;
  const b = r.bytes;
  const cf = r.capacityFootprint;
  const p = r.predicted;
  const rows: Array<[string, string]> = [
    ['FLOPs (whole step)', formatSi(r.flops, 'FLOP')],
    [
      'bytes moved',
      `${formatSi(b.totalBytes, 'B')} (weights ${formatSi(b.weightBytes, 'B')}, KV read ${formatSi(b.kvReadBytes, 'B')}, KV write ${formatSi(b.kvWriteBytes, 'B')}, activations ${formatSi(b.activationBytes, 'B')})`,
    ],
    ['operational intensity', `${formatNumber(r.operationalIntensityFlopsPerByte, 4)} FLOP/byte`],
    ['ridge (peak ÷ bandwidth)', `${formatNumber(r.ridgeFlopsPerByte, 4)} FLOP/byte`],
    ['KV per token', `${count(run.kvBytesPerToken)} B (${formatBytes(run.kvBytesPerToken)})`],
    [
      'capacity footprint / request',
      `${formatBytes(cf.totalBytes)} (weight share ${formatBytes(cf.weightShareBytes)}, KV ${formatBytes(cf.kvBytes)}, workspace ${formatBytes(cf.workspaceBytes)})`,
    ],
    [
      'resident / capacity',
      `${formatBytes(r.residentBytes)} / ${formatBytes(r.capacityBytes)} (${r.fits ? 'fits' : 'does not fit'})`,
    ],
    ['regime', r.regime],
    ['largest batch that fits', count(r.batchMax)],
    ['attainable per device', formatSi(r.attainableFlopsPerSecond, 'FLOP/s')],
    ['attainable at that batch', formatSi(r.attainableFlopsPerSecondAtBatchMax, 'FLOP/s')],
    [
      'predicted step',
      `${formatSeconds(p.stepSeconds)} (compute ${formatSeconds(p.computeSeconds)}, memory ${formatSeconds(p.memorySeconds)}, communication ${formatSeconds(p.communicationSeconds)}; ${p.bound}-bound)`,
    ],
    ['MFU / MBU', `${formatPercent(r.mfu)} / ${formatPercent(r.mbu)}`],
  ];
  return { columns: [{ header: 'quantity' }, { header: 'value' }], rows };
}

export function operatorTable(run: PointRun): TableData {
  const total = run.result.flops;
  return {
    columns: [
      { header: 'operator' },
      { header: 'layers', align: 'right' },
      { header: 'FLOPs', align: 'right' },
      { header: 'share', align: 'right' },
      { header: 'weight B', align: 'right' },
      { header: 'KV read B', align: 'right' },
      { header: 'KV write B', align: 'right' },
      { header: 'activation B', align: 'right' },
      { header: 'total B', align: 'right' },
      { header: 'OI (FLOP/byte)', align: 'right' },
    ],
    rows: run.result.operators.map((o) => [
      o.operator,
      String(o.numLayers),
      formatSi(o.flops),
      total > 0 ? formatPercent(o.flops / total) : '',
      formatSi(o.bytes.weightBytes),
      formatSi(o.bytes.kvReadBytes),
      formatSi(o.bytes.kvWriteBytes),
      formatSi(o.bytes.activationBytes),
      formatSi(o.bytes.totalBytes),
      Number.isFinite(o.operationalIntensityFlopsPerByte) ? formatNumber(o.operationalIntensityFlopsPerByte, 4) : '∞',
    ]),
  };
}

export const POINT_CSV_HEADER = [
  'convention',
  'model',
  'device',
  'precision',
  'phase',
  'batch',
  'operator',
  'numLayers',
  'flops',
  'weightBytes',
  'kvReadBytes',
  'kvWriteBytes',
  'activationBytes',
  'totalBytes',
  'operationalIntensityFlopsPerByte',
] as const;

/** Per-operator rows of a point as CSV (an empty intensity field means no bytes moved). */
export function pointCsv(run: PointRun): string {
  const r = run.result;
  return toCsv(
    POINT_CSV_HEADER,
    r.operators.map((o) => [
      r.convention,
      run.model.id,
      run.device.id,
      run.precisionId,
      r.phase,
      r.batch,
      o.operator,
      o.numLayers,
      o.flops,
      o.bytes.weightBytes,
      o.bytes.kvReadBytes,
      o.bytes.kvWriteBytes,
      o.bytes.activationBytes,
      o.bytes.totalBytes,
      o.operationalIntensityFlopsPerByte,
    ]),
  );
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function count(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}
