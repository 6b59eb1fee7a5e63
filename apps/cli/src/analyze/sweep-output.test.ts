import type { SweepRow } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import { summarizeTrajectories, sweepCsv, sweepSummaryTable } from './sweep-output.js';

function row(turn: number, phase: 'prefill' | 'decode', extra: Partial<SweepRow> = {}): SweepRow {
  return {
    workflowId: 'coding',
    modelId: 'm',
    deviceId: 'd',
    precisionId: 'bf16',
    convention: 'paper',
    turn,
    phase,
    batch: phase === 'prefill' ? 1 : 8,
    numDevices: 2,
    contextTokens: 1000 * (turn + 1),
    numTokens: 100,
    flops: 10,
    totalBytes: 5,
    operationalIntensityFlopsPerByte: 2,
    capacityFootprintBytes: 2 ** 30,
    regime: 'bandwidth-bound',
    batchMax: 8,
    stepSeconds: 0.01,
    phaseSeconds: 0.5,
    mfu: 0.1,
    mbu: 0.9,
    ...extra,
  };
}

const rows = [
  row(0, 'prefill', { regime: 'compute-bound', phaseSeconds: 0.25 }),
  row(0, 'decode', { operationalIntensityFlopsPerByte: 12, phaseSeconds: 2 }),
  row(1, 'prefill', { phaseSeconds: 0.5 }),
  row(1, 'decode', {
    operationalIntensityFlopsPerByte: 9,
    capacityFootprintBytes: 3 * 2 ** 30,
    regime: 'capacity-and-bandwidth-bound',
    batch: 4,
    phaseSeconds: 3,
  }),
  row(0, 'prefill', { deviceId: 'e' }),
  row(0, 'decode', { deviceId: 'e' }),
];

describe('summarizeTrajectories', () => {
  it('groups rows per trajectory and summarises the decode path', () => {
    const [first, second] = summarizeTrajectories(rows);
    expect(first).toEqual({
      workflowId: 'coding',
      modelId: 'm',
      deviceId: 'd',
      precisionId: 'bf16',
      convention: 'paper',
      numDevices: 2,
      numTurns: 2,
      lastContextTokens: 2000,
      lastDecodeBatch: 4,
      firstDecodeIntensityFlopsPerByte: 12,
      lastDecodeIntensityFlopsPerByte: 9,
      lastDecodeCapacityFootprintBytes: 3 * 2 ** 30,
      lastDecodeRegime: 'capacity-and-bandwidth-bound',
      numDecodeTurnsByRegime: {
        'compute-bound': 0,
        'bandwidth-bound': 1,
        'capacity-bound': 0,
        'capacity-and-bandwidth-bound': 1,
      },
      // Prefill 0.25 + 0.5; decode 2 + 3.
      prefillSeconds: 0.75,
      decodeSeconds: 5,
    });
    expect(second?.deviceId).toBe('e');
  });

  it('renders one table line per trajectory', () => {
    const table = sweepSummaryTable(summarizeTrajectories(rows));
    expect(table.rows[0]).toEqual([
      'coding',
      'm',
      'd',
      'bf16',
      '2',
      '2',
      '2,000',
      '4',
      '12→9',
      '3 GiB',
      'capacity-and-bandwidth-bound',
      '0/1/0/1',
      '750 ms',
      '5 s',
    ]);
  });

  it('writes full rows as CSV in the header order', () => {
    const [header, line] = sweepCsv(rows.slice(0, 1)).split('\n');
    expect(header).toBe(
      'convention,workflowId,modelId,deviceId,precisionId,turn,phase,batch,numDevices,contextTokens,numTokens,flops,totalBytes,operationalIntensityFlopsPerByte,capacityFootprintBytes,regime,batchMax,stepSeconds,phaseSeconds,mfu,mbu',
    );
    expect(line).toBe(
      'paper,coding,m,d,bf16,0,prefill,1,2,1000,100,10,5,2,1073741824,compute-bound,8,0.01,0.25,0.1,0.9',
    );
  });
});
