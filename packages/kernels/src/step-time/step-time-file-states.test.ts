import { describe, expect, it } from 'vitest';
import { microConfig } from '../model/presets.js';
import { costStructure } from './cost-structure.js';
import { COLUMNS, type Column, ZERO_FEATURES } from './feature-vector.js';
import { parseStepTimeFile, type StepTimeFile } from './step-time-file.js';
import { calibratedModelFromFile } from './step-time-io.js';

const costsWith = (nodes: number) => ({
  ...(Object.fromEntries(COLUMNS.map((c) => [c, 0])) as Record<Column, number>),
  runs: 1e-4,
  nodes,
});
const prices = (nodes: number) => ({
  costs: costsWith(nodes),
  cacheBytes: null,
  kvCacheBytes: null,
  fittedColumns: COLUMNS.slice(),
});
// A file of the round-5 format (version 3, no per-state section): 100 µs per run, 2 µs per node.
const OLD: StepTimeFile = {
  kind: 'oicf-step-time',
  version: 3,
  measuredAt: '2026-01-01T00:00:00.000Z',
  target: 'runner-call',
  intraOpNumThreads: 1,
  quick: false,
  loadAverage: [0.5, 0.7],
  fittedOn: 'clean',
  fit: { ...prices(2e-6), numSamples: 3, rmsRelativeError: 0.01, maxRelativeError: 0.02 },
  crossValidation: { rmsRelativeError: 0.02, maxRelativeError: 0.04 },
  samples: [{ label: 'x', features: { ...ZERO_FEATURES, numRuns: 1 }, seconds: 0.001 }],
  structures: [costStructure(microConfig('gqa'))],
};
// The same with a per-state section: 1 µs per node cached, 3 µs uncached; a quarter of the
// measured repeats were cached.
const WITH_STATES: StepTimeFile = {
  ...OLD,
  states: {
    threshold: { mib: 64, gbps: 14.65 },
    stateColumns: ['kvReadBytes'],
    byState: { cached: prices(1e-6), uncached: prices(3e-6) },
    numSamples: { cached: 10, uncached: 30 },
    shareOfRepeats: { cached: 0.25, uncached: 0.75 },
    crossValidation: {
      cached: { rmsRelativeError: 0.03, maxRelativeError: 0.05 },
      uncached: { rmsRelativeError: 0.04, maxRelativeError: 0.06 },
    },
  },
};
const decode8 = { phase: 'decode' as const, contextTokens: [8] };
// A micro-gqa decode step at 8 tokens runs the short graph: n nodes, priced 100 µs + n · (node cost).
const n = OLD.structures[0]?.decode.short?.single.numNodes ?? 0;

describe('step-time file: the optional per-state section (round 6)', () => {
  it('loads a file without it exactly as before: no states, the pooled fit', () => {
    const parsed = parseStepTimeFile(JSON.stringify(OLD));
    expect(parsed).toEqual(OLD);
    expect('states' in parsed).toBe(false);
    expect(calibratedModelFromFile(parsed, 'micro-gqa', 'fp32').stepSeconds(decode8)).toBeCloseTo(1e-4 + n * 2e-6, 12);
  });

  it('refuses a state on a file without the section, naming what is missing', () => {
    expect(() => calibratedModelFromFile(OLD, 'micro-gqa', 'fp32', 'cached')).toThrow(
      /state 'cached' asked for, but the file has no per-state fit/,
    );
  });

  it('prices each state with its own costs, the mix by the share of repeats, pooled by the one fit', () => {
    const parsed = parseStepTimeFile(JSON.stringify(WITH_STATES));
    expect(parsed).toEqual(WITH_STATES);
    const at = (state: 'pooled' | 'cached' | 'uncached' | 'mix') =>
      calibratedModelFromFile(parsed, 'micro-gqa', 'fp32', state).stepSeconds(decode8);
    expect(n).toBeGreaterThan(0);
    expect(at('pooled')).toBeCloseTo(1e-4 + n * 2e-6, 12);
    expect(at('cached')).toBeCloseTo(1e-4 + n * 1e-6, 12);
    expect(at('uncached')).toBeCloseTo(1e-4 + n * 3e-6, 12);
    // mix: 0.25 · (100 µs + n · 1 µs) + 0.75 · (100 µs + n · 3 µs) = 100 µs + n · 2.5 µs.
    expect(at('mix')).toBeCloseTo(1e-4 + n * 2.5e-6, 12);
    expect(calibratedModelFromFile(parsed, 'micro-gqa', 'fp32', 'mix').label).toMatch(/mix 25 % cached\)$/);
  });

  it('names a bad field of the section', () => {
    const states = WITH_STATES.states;
    if (states === undefined) throw new Error('unreachable');
    const bad = { ...WITH_STATES, states: { ...states, shareOfRepeats: { cached: 1.5, uncached: 0 } } };
    expect(() => parseStepTimeFile(JSON.stringify(bad), 'f.json')).toThrow(/f\.json: .*states\.shareOfRepeats\.cached/);
    // No repeat in either state: the mix's weight 0 / (0 + 0) is NaN, so the file is refused at load.
    const none = { ...WITH_STATES, states: { ...states, shareOfRepeats: { cached: 0, uncached: 0 } } };
    expect(() => parseStepTimeFile(JSON.stringify(none), 'f.json')).toThrow(
      /f\.json: .*states\.shareOfRepeats.*both 0/,
    );
  });
});
