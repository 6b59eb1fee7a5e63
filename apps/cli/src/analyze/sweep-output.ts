import type { Regime, SweepRow } from '@oicf/core';
import { formatBytes, formatNumber, formatSeconds, type TableData } from '@oicf/plot';
import { toCsv } from './csv.js';
import { trajectoryKey } from './run-sweep.js';

/**
 * Sweep outputs. Rows (two per turn: prefill then decode) go to CSV and JSON
 * in full; the readable table has one line per trajectory summarising how
 * its decode points move across the OI–CF plane.
 */

export interface TrajectorySummary {
  readonly workflowId: string;
  readonly modelId: string;
  readonly deviceId: string;
  readonly precisionId: string;
  readonly convention: string;
  readonly numDevices: number;
  readonly numTurns: number;
  /** Decode context of the last turn (mean over its steps). */
  readonly lastContextTokens: number;
  readonly lastDecodeBatch: number;
  readonly firstDecodeIntensityFlopsPerByte: number;
  readonly lastDecodeIntensityFlopsPerByte: number;
  readonly lastDecodeCapacityFootprintBytes: number;
  readonly lastDecodeRegime: Regime | '';
  /** Decode turns per regime. */
  readonly numDecodeTurnsByRegime: Readonly<Record<Regime, number>>;
  /** Sum of every turn's prefill (time to first token) and of every turn's decode. */
  readonly prefillSeconds: number;
  readonly decodeSeconds: number;
}

const REGIMES: readonly Regime[] = [
  'compute-bound',
  'bandwidth-bound',
  'capacity-bound',
  'capacity-and-bandwidth-bound',
];

/** One summary per trajectory, in first-seen order. */
export function summarizeTrajectories(rows: readonly SweepRow[]): TrajectorySummary[] {
  const groups = new Map<string, SweepRow[]>();
  for (const row of rows) {
    const key = trajectoryKey(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as SweepRow;
    const decode = group.filter((r) => r.phase === 'decode');
    const firstDecode = decode[0];
    const lastDecode = decode[decode.length - 1];
    const byRegime = Object.fromEntries(REGIMES.map((g) => [g, 0])) as Record<Regime, number>;
    for (const r of decode) byRegime[r.regime] += 1;
    return {
      workflowId: first.workflowId,
      modelId: first.modelId,
      deviceId: first.deviceId,
      precisionId: first.precisionId,
      convention: first.convention,
      numDevices: first.numDevices,
      numTurns: new Set(group.map((r) => r.turn)).size,
      lastContextTokens: lastDecode?.contextTokens ?? 0,
      lastDecodeBatch: lastDecode?.batch ?? 0,
      firstDecodeIntensityFlopsPerByte: firstDecode?.operationalIntensityFlopsPerByte ?? Number.NaN,
      lastDecodeIntensityFlopsPerByte: lastDecode?.operationalIntensityFlopsPerByte ?? Number.NaN,
      lastDecodeCapacityFootprintBytes: lastDecode?.capacityFootprintBytes ?? Number.NaN,
      lastDecodeRegime: lastDecode?.regime ?? '',
      numDecodeTurnsByRegime: byRegime,
      prefillSeconds: sum(group.filter((r) => r.phase === 'prefill').map((r) => r.phaseSeconds)),
      decodeSeconds: sum(decode.map((r) => r.phaseSeconds)),
    };
  });
}

export function sweepSummaryTable(summaries: readonly TrajectorySummary[]): TableData {
  return {
    columns: [
      { header: 'workflow' },
      { header: 'model' },
      { header: 'device' },
      { header: 'precision' },
      { header: 'devices', align: 'right' },
      { header: 'turns', align: 'right' },
      { header: 'last context', align: 'right' },
      { header: 'decode batch', align: 'right' },
      { header: 'decode OI first→last', align: 'right' },
      { header: 'CF last', align: 'right' },
      { header: 'last decode regime' },
      { header: 'decode turns C/B/Cap/Cap+B', align: 'right' },
      { header: 'prefill s', align: 'right' },
      { header: 'decode s', align: 'right' },
    ],
    rows: summaries.map((s) => [
      s.workflowId,
      s.modelId,
      s.deviceId,
      s.precisionId,
      String(s.numDevices),
      String(s.numTurns),
      s.lastContextTokens.toLocaleString('en-US'),
      String(s.lastDecodeBatch),
      `${formatNumber(s.firstDecodeIntensityFlopsPerByte)}→${formatNumber(s.lastDecodeIntensityFlopsPerByte)}`,
      formatBytes(s.lastDecodeCapacityFootprintBytes),
      s.lastDecodeRegime,
      REGIMES.map((g) => s.numDecodeTurnsByRegime[g]).join('/'),
      formatSeconds(s.prefillSeconds),
      formatSeconds(s.decodeSeconds),
    ]),
  };
}

/** Column order of the sweep CSV; names match the SweepRow fields (units in the names). */
export const SWEEP_CSV_HEADER = [
  'convention',
  'workflowId',
  'modelId',
  'deviceId',
  'precisionId',
  'turn',
  'phase',
  'batch',
  'numDevices',
  'contextTokens',
  'numTokens',
  'flops',
  'totalBytes',
  'operationalIntensityFlopsPerByte',
  'capacityFootprintBytes',
  'regime',
  'batchMax',
  'stepSeconds',
  'phaseSeconds',
  'mfu',
  'mbu',
] as const satisfies readonly (keyof SweepRow)[];

export function sweepCsv(rows: readonly SweepRow[]): string {
  return toCsv(
    SWEEP_CSV_HEADER,
    rows.map((row) => SWEEP_CSV_HEADER.map((key) => row[key])),
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
