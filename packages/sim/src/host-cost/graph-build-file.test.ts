import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZERO_HOST_COST } from './host-cost.js';
import {
  graphBuildCostIssues,
  HOST_COST_FILE_VERSION,
  type HostCostFile,
  loadHostCostFile,
  saveHostCostFile,
} from './host-cost-file.js';

const FILE: HostCostFile = {
  version: HOST_COST_FILE_VERSION,
  fittedAtIso: '2026-12-07T00:00:00.000Z',
  source: 'test',
  loadAverage: [1, 1],
  cost: ZERO_HOST_COST,
  fits: [],
};
const BUILD = { secondsPerGraph: 0.2, secondsPerSequence: 0.01, kTileTokens: 256, warmedBatches: [1] };

describe('host-cost file: the decode graph build (round 8)', () => {
  it('keeps it, reads a file without it as before, and refuses a bad one naming the field', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'host-cost-')), 'host-cost.json');
    saveHostCostFile(path, FILE);
    expect(loadHostCostFile(path)?.cost.decode.graphBuild).toBeUndefined();
    saveHostCostFile(path, { ...FILE, cost: { ...FILE.cost, decode: { ...FILE.cost.decode, graphBuild: BUILD } } });
    expect(loadHostCostFile(path)?.cost.decode.graphBuild).toEqual(BUILD);
    const bad = { ...BUILD, kTileTokens: 2.5, warmedBatches: [0] };
    writeFileSync(
      path,
      JSON.stringify({ ...FILE, cost: { ...FILE.cost, decode: { ...FILE.cost.decode, graphBuild: bad } } }),
    );
    expect(() => loadHostCostFile(path)).toThrow(
      /cost\.decode\.graphBuild\.kTileTokens: expected a whole number ≥ 0, got 2\.5; cost\.decode\.graphBuild\.warmedBatches\[0\]: expected a whole number ≥ 1, got 0/,
    );
  });
});

describe('a graph-build cost on its own (the bench reads it from a timing file before any real run)', () => {
  it('has no issues when valid, and names each bad field when not', () => {
    expect(graphBuildCostIssues(BUILD)).toEqual([]);
    expect(graphBuildCostIssues({ ...BUILD, secondsPerGraph: -1, warmedBatches: [0] })).toEqual([
      'secondsPerGraph: expected a finite number ≥ 0, got -1',
      'warmedBatches[0]: expected a whole number ≥ 1, got 0',
    ]);
  });
});
