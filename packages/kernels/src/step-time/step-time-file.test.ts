import { describe, expect, it } from 'vitest';
import { microConfig } from '../model/presets.js';
import { costStructure, structureFeatures } from './cost-structure.js';
import { COLUMNS, type Column, ZERO_FEATURES } from './feature-vector.js';
import { parseStepTimeFile, type StepTimeFile, shouldReplaceStepTime } from './step-time-file.js';
import { calibratedModelFromFile } from './step-time-io.js';

const costs = {
  ...(Object.fromEntries(COLUMNS.map((c) => [c, 0])) as Record<Column, number>),
  runs: 1e-4,
  nodes: 2e-6,
};
const FILE: StepTimeFile = {
  kind: 'oicf-step-time',
  version: 3,
  measuredAt: '2026-01-01T00:00:00.000Z',
  target: 'runner-call',
  intraOpNumThreads: 2,
  quick: false,
  loadAverage: [0.5, 0.7],
  fittedOn: 'clean',
  fit: {
    costs,
    cacheBytes: null,
    kvCacheBytes: null,
    fittedColumns: COLUMNS.slice(),
    numSamples: 3,
    rmsRelativeError: 0.01,
    maxRelativeError: 0.02,
  },
  crossValidation: { rmsRelativeError: 0.02, maxRelativeError: 0.04 },
  samples: [{ label: 'x', features: { ...ZERO_FEATURES, numRuns: 1 }, seconds: 0.001 }],
  structures: [costStructure(microConfig('gqa'))],
};

describe('step-time file', () => {
  it('round-trips through JSON and prices a saved model', () => {
    const parsed = parseStepTimeFile(JSON.stringify(FILE));
    expect(parsed).toEqual(FILE);
    const model = calibratedModelFromFile(parsed, 'micro-gqa', 'fp32');
    // A micro-gqa decode step at 8 tokens runs the short graph; its node count n gives
    // 100 µs + n · 2 µs, every other cost being 0 here.
    const nodes = FILE.structures[0]?.decode.short?.single.numNodes ?? 0;
    expect(model.stepSeconds({ phase: 'decode', contextTokens: [8] })).toBeCloseTo(1e-4 + nodes * 2e-6, 12);
    expect(model.label).toBe('micro-gqa fp32 on this machine (fitted 2026-01-01T00:00:00.000Z)');
  });

  it('names every bad field and the file', () => {
    const bad = { ...FILE, intraOpNumThreads: 0, fit: { ...FILE.fit, costs: { ...costs, nodes: -1 } } };
    expect(() => parseStepTimeFile(JSON.stringify(bad), '.oicf/step-time.json')).toThrow(
      /\.oicf\/step-time\.json: invalid step-time file \(intraOpNumThreads: .*fit\.costs\.nodes: .*\); rerun 'oicf roofline'/,
    );
    expect(() => parseStepTimeFile('{', 'f.json')).toThrow(/f\.json: not JSON/);
    expect(() => calibratedModelFromFile(FILE, 'tiny-xyz', 'fp32')).toThrow(/unknown tiny model 'tiny-xyz'; valid: /);
  });

  it('loads a version-1 file and prices it as version 1 did', () => {
    const V1_COLUMNS = COLUMNS.filter(
      (c) =>
        !['attentionGemmFlops', 'kvStreamBytes', 'spillBytes', 'kvSpillBytes', 'broadcastAttentionFlops'].includes(c),
    );
    // Version 1 had no attentionGemmFlops / kvStreamBytes / residentBytes features, no costs for
    // them nor spillBytes, no cacheBytes, and priced every attention FLOP and KV byte at one rate.
    const v1Features = (f: object) => {
      const {
        attentionGemmFlops: _g,
        kvStreamBytes: _k,
        residentBytes: _r,
        broadcastAttentionFlops: _b,
        ...rest
      } = f as Record<string, unknown>;
      return rest;
    };
    const {
      attentionGemmFlops: _g,
      kvStreamBytes: _k,
      spillBytes: _s,
      kvSpillBytes: _ks,
      broadcastAttentionFlops: _bc,
      ...v1Costs
    } = { ...costs, attentionFlops: 1e-11, kvReadBytes: 1e-10 };
    const s = FILE.structures[0];
    if (s?.decode.short === undefined) throw new Error('unreachable: micro-gqa has a short decode graph');
    const v1 = {
      ...FILE,
      version: 1,
      fit: { ...FILE.fit, costs: v1Costs, cacheBytes: undefined, kvCacheBytes: undefined, fittedColumns: V1_COLUMNS },
      samples: FILE.samples.map((x) => ({ ...x, features: v1Features(x.features) })),
      structures: [
        {
          ...s,
          prefill: Object.fromEntries(Object.entries(s.prefill).map(([k, f]) => [k, v1Features(f)])),
          decode: {
            tiled: Object.fromEntries(Object.entries(s.decode.tiled).map(([k, f]) => [k, v1Features(f)])),
            short: Object.fromEntries(Object.entries(s.decode.short).map(([k, f]) => [k, v1Features(f)])),
          },
        },
      ],
    };
    const parsed = parseStepTimeFile(JSON.stringify(v1));
    // Version 1 → 2 → 3 (this build's version): no cache terms.
    expect(parsed.version).toBe(3);
    expect(parsed.fit.cacheBytes).toBeNull();
    expect(parsed.fit.kvCacheBytes).toBeNull();
    expect(parsed.fit.costs.kvSpillBytes).toBe(0);
    // Every attention FLOP at version 1's one attention rate, broadcast attention included (a model counted
    // afresh splits it out; saved features carry it in attentionFlops).
    expect(parsed.fit.costs.broadcastAttentionFlops).toBe(1e-11);
    expect(parsed.fit.costs.attentionGemmFlops).toBe(1e-11);
    expect(parsed.fit.costs.kvStreamBytes).toBe(1e-10);
    expect(parsed.fit.costs.spillBytes).toBe(0);
    expect(parsed.fit.fittedColumns).toEqual([
      ...V1_COLUMNS,
      'attentionGemmFlops',
      'kvStreamBytes',
      'broadcastAttentionFlops',
    ]);
    // micro-gqa decode at 8 tokens (short graph): 100 µs + n · 2 µs + attention FLOPs A · 1e-11 s
    // + KV bytes K · 1e-10 s (GQA: every KV row serves a group of query heads, no one-row stream).
    const single = s.decode.short.single;
    const perToken = s.decode.short.perContextToken;
    const attention =
      single.attentionFlops + single.attentionGemmFlops + 8 * (perToken.attentionFlops + perToken.attentionGemmFlops);
    expect(attention).toBeGreaterThan(0);
    expect(single.kvStreamBytes + perToken.kvStreamBytes).toBe(0);
    const kv = single.kvReadBytes + 8 * perToken.kvReadBytes;
    expect(kv).toBeGreaterThan(0);
    expect(
      calibratedModelFromFile(parsed, 'micro-gqa', 'fp32').stepSeconds({ phase: 'decode', contextTokens: [8] }),
    ).toBeCloseTo(1e-4 + single.numNodes * 2e-6 + attention * 1e-11 + kv * 1e-10, 12);
  });

  it('loads a version-2 file (no KV cache term) and prices it as version 2 did', () => {
    // Version 2 had no kvSpillBytes cost and no fit.kvCacheBytes; a resident-set cache of 1 KiB
    // at 1e-9 s per byte beyond it.
    // Its features had no broadcastAttentionFlops (counted in attentionFlops).
    const { kvSpillBytes: _ks, broadcastAttentionFlops: _b, ...v2Costs } = { ...costs, spillBytes: 1e-9 };
    const { kvCacheBytes: _kc, ...v2Fit } = { ...FILE.fit, costs: v2Costs, cacheBytes: 1024 };
    const v2Features = (f: object) => {
      const { broadcastAttentionFlops: _bf, ...rest } = f as Record<string, unknown>;
      return rest;
    };
    const st = FILE.structures[0];
    if (st?.decode.short === undefined) throw new Error('unreachable: micro-gqa has a short decode graph');
    const v2 = {
      ...FILE,
      version: 2,
      fit: { ...v2Fit, fittedColumns: COLUMNS.filter((c) => c !== 'kvSpillBytes' && c !== 'broadcastAttentionFlops') },
      samples: FILE.samples.map((x) => ({ ...x, features: v2Features(x.features) })),
      structures: [
        {
          ...st,
          prefill: Object.fromEntries(Object.entries(st.prefill).map(([k, f]) => [k, v2Features(f)])),
          decode: {
            tiled: Object.fromEntries(Object.entries(st.decode.tiled).map(([k, f]) => [k, v2Features(f)])),
            short: Object.fromEntries(Object.entries(st.decode.short).map(([k, f]) => [k, v2Features(f)])),
          },
        },
      ],
    };
    const parsed = parseStepTimeFile(JSON.stringify(v2));
    expect(parsed.fit.costs.broadcastAttentionFlops).toBe(0);
    expect(parsed.samples[0]?.features.broadcastAttentionFlops).toBe(0);
    expect(parsed.version).toBe(3);
    expect(parsed.fit.kvCacheBytes).toBeNull();
    expect(parsed.fit.costs.kvSpillBytes).toBe(0);
    // micro-gqa decode at 8 tokens (short graph): 100 µs + n · 2 µs + (R − 1024) · 1e-9 s, R its
    // resident bytes (the test checks R exceeds the 1 KiB cache, so the spill is priced).
    const short = FILE.structures[0]?.decode.short;
    if (short === undefined) throw new Error('unreachable: micro-gqa has a short decode graph');
    const resident = short.single.residentBytes + 8 * short.perContextToken.residentBytes;
    expect(resident).toBeGreaterThan(1024);
    expect(
      calibratedModelFromFile(parsed, 'micro-gqa', 'fp32').stepSeconds({ phase: 'decode', contextTokens: [8] }),
    ).toBeCloseTo(1e-4 + short.single.numNodes * 2e-6 + (resident - 1024) * 1e-9, 12);
  });

  it('prices broadcast attention of a version-2 file at its attention cost when the model is counted afresh', () => {
    // Version 2 counted every attention matmul in attentionFlops. A file that saved no structure for a model
    // (structures: []) has it counted by this build, which splits broadcast attention (micro-gqa's prefill:
    // K/V Unsqueeze'd over the query groups) into its own column; at the attention cost, 1e-11 s per FLOP,
    // the step costs 100 µs per run + 2 µs per node + (attention + broadcast FLOPs) · 1e-11 s.
    const { kvSpillBytes: _ks, broadcastAttentionFlops: _b, ...v2Costs } = { ...costs, attentionFlops: 1e-11 };
    const { kvCacheBytes: _kc, ...v2Fit } = FILE.fit;
    const v2 = {
      ...FILE,
      version: 2,
      fit: {
        ...v2Fit,
        costs: v2Costs,
        fittedColumns: COLUMNS.filter((c) => c !== 'kvSpillBytes' && c !== 'broadcastAttentionFlops'),
      },
      samples: [],
      structures: [],
    };
    const parsed = parseStepTimeFile(JSON.stringify(v2));
    expect(parsed.fit.costs.broadcastAttentionFlops).toBe(1e-11);
    const structure = FILE.structures[0];
    if (structure === undefined) throw new Error('unreachable: FILE saves micro-gqa');
    const q = { phase: 'prefill', numNewTokens: 64, cachedTokens: 0 } as const;
    const f = structureFeatures(structure, q);
    expect(f.broadcastAttentionFlops).toBeGreaterThan(0);
    expect(calibratedModelFromFile(parsed, 'micro-gqa', 'fp32').stepSeconds(q)).toBeCloseTo(
      f.numRuns * 1e-4 + f.numNodes * 2e-6 + (f.attentionFlops + f.broadcastAttentionFlops) * 1e-11,
      12,
    );
  });

  it('names the version when it is not one this build reads', () => {
    expect(() => parseStepTimeFile(JSON.stringify({ ...FILE, version: 4 }), 's.json')).toThrow(
      /s\.json: version: 4 is not a step-time file version this build reads \(1, 2, 3\)/,
    );
  });

  it.each([
    ['nothing saved', undefined, { quick: true, intraOpNumThreads: 2 }, true],
    ['a full run replaces a full fit', FILE, { quick: false, intraOpNumThreads: 2 }, true],
    ['a quick run keeps a full fit', FILE, { quick: true, intraOpNumThreads: 2 }, false],
    ['a quick run replaces a quick fit', { ...FILE, quick: true }, { quick: true, intraOpNumThreads: 2 }, true],
    ['a quick run replaces a fit of another thread count', FILE, { quick: true, intraOpNumThreads: 1 }, true],
  ] as const)('%s', (_, saved, next, replace) => {
    expect(shouldReplaceStepTime(saved, next)).toBe(replace);
  });
});
