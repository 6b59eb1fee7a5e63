import type { StepFeatures, WeightKinds } from './step-features.js';

/**
 * The calibrated model's columns: seconds = Σ cost[c] · column c of the step's features. Each
 * cost is one machine figure: a fixed cost per session.run, per node, per input, or seconds per FLOP or
 * per byte of one kind of work (its inverse is a rate: GEMM FLOP/s, stream B/s).
 *
 * spillBytes = max(0, residentBytes − cacheBytes): the bytes of the step's resident set (what
 * every step reads again: weights, KV, dequantized weights) beyond a cache of cacheBytes, which
 * the next step reads from memory instead of the cache; its cost is the extra seconds per such
 * byte. cacheBytes is fitted with the costs (fit-step-time.ts); null prices no spill.
 *
 * kvSpillBytes = max(0, KV read − kvCacheBytes), KV read = kvReadBytes + kvStreamBytes: the KV
 * cache beyond a capacity of its own. The attention kernels read KV in K tiles and V blocks,
 * interleaved with score rows, where the weights are read once each as one contiguous stream: the
 * two reach memory at different sizes and different cost per byte (round 5, the 08:02 sweep: with
 * one resident-set capacity, MLA decode at 1k–4k contexts ran 13–18 % faster and at 16k–32k
 * 10–12 % slower than priced). kvCacheBytes is fitted with the costs; null prices none.
 */
export const COLUMNS = [
  'runs',
  'nodes',
  'inputs',
  'gemmFlops.fp32',
  'gemmFlops.fp16',
  'gemmFlops.int8',
  'weightBytes.fp32',
  'weightBytes.fp16',
  'weightBytes.int8',
  'attentionFlops',
  'kvReadBytes',
  'activationBytes',
  'dequantBytes',
  'attentionGemmFlops',
  'kvStreamBytes',
  'spillBytes',
  'kvSpillBytes',
  'broadcastAttentionFlops',
] as const;

export type Column = (typeof COLUMNS)[number];

/**
 * The step's value in each column, in COLUMNS order, with a cache of `cacheBytes` for the resident
 * set and `kvCacheBytes` for the KV read (null: none priced).
 */
export function featureVector(
  f: StepFeatures,
  cacheBytes: number | null,
  kvCacheBytes: number | null = null,
): number[] {
  return [
    f.numRuns,
    f.numNodes,
    f.numInputs,
    f.gemmFlops.fp32,
    f.gemmFlops.fp16,
    f.gemmFlops.int8,
    f.weightBytes.fp32,
    f.weightBytes.fp16,
    f.weightBytes.int8,
    f.attentionFlops,
    f.kvReadBytes,
    f.activationBytes,
    f.dequantBytes,
    f.attentionGemmFlops,
    f.kvStreamBytes,
    spillBytes(f, cacheBytes),
    kvSpillBytes(f, kvCacheBytes),
    f.broadcastAttentionFlops,
  ];
}

/** KV bytes read beyond a capacity of `kvCacheBytes` (0 with none), per session.run as spillBytes. */
export function kvSpillBytes(f: StepFeatures, kvCacheBytes: number | null): number {
  if (kvCacheBytes === null) return 0;
  const runs = Math.max(1, f.numRuns);
  return runs * Math.max(0, (f.kvReadBytes + f.kvStreamBytes) / runs - kvCacheBytes);
}

/**
 * Resident bytes beyond a cache of `cacheBytes` (0 with none), per session.run: a prefill run as
 * n chunks (features summed) pays n · max(0, R/n − cache), exact when every chunk's resident set
 * exceeds the cache (each re-reads the weights; the later chunks a little more KV).
 */
export function spillBytes(f: StepFeatures, cacheBytes: number | null): number {
  if (cacheBytes === null) return 0;
  const runs = Math.max(1, f.numRuns);
  return runs * Math.max(0, f.residentBytes / runs - cacheBytes);
}

export const ZERO_FEATURES: StepFeatures = {
  numRuns: 0,
  numNodes: 0,
  numInputs: 0,
  gemmFlops: { fp32: 0, fp16: 0, int8: 0 },
  weightBytes: { fp32: 0, fp16: 0, int8: 0 },
  attentionFlops: 0,
  broadcastAttentionFlops: 0,
  kvReadBytes: 0,
  activationBytes: 0,
  dequantBytes: 0,
  attentionGemmFlops: 0,
  kvStreamBytes: 0,
  residentBytes: 0,
};

function combine(a: StepFeatures, b: StepFeatures, f: (x: number, y: number) => number): StepFeatures {
  const kinds = (x: WeightKinds, y: WeightKinds): WeightKinds => ({
    fp32: f(x.fp32, y.fp32),
    fp16: f(x.fp16, y.fp16),
    int8: f(x.int8, y.int8),
  });
  return {
    numRuns: f(a.numRuns, b.numRuns),
    numNodes: f(a.numNodes, b.numNodes),
    numInputs: f(a.numInputs, b.numInputs),
    gemmFlops: kinds(a.gemmFlops, b.gemmFlops),
    weightBytes: kinds(a.weightBytes, b.weightBytes),
    attentionFlops: f(a.attentionFlops, b.attentionFlops),
    broadcastAttentionFlops: f(a.broadcastAttentionFlops, b.broadcastAttentionFlops),
    kvReadBytes: f(a.kvReadBytes, b.kvReadBytes),
    activationBytes: f(a.activationBytes, b.activationBytes),
    dequantBytes: f(a.dequantBytes, b.dequantBytes),
    attentionGemmFlops: f(a.attentionGemmFlops, b.attentionGemmFlops),
    kvStreamBytes: f(a.kvStreamBytes, b.kvStreamBytes),
    residentBytes: f(a.residentBytes, b.residentBytes),
  };
}

export const addFeatures = (a: StepFeatures, b: StepFeatures): StepFeatures => combine(a, b, (x, y) => x + y);
export const subtractFeatures = (a: StepFeatures, b: StepFeatures): StepFeatures => combine(a, b, (x, y) => x - y);
export const scaleFeatures = (a: StepFeatures, k: number): StepFeatures => combine(a, a, (x) => x * k);

/** Sum of several runs' features (the chunks of one prefill). */
export const sumFeatures = (parts: readonly StepFeatures[]): StepFeatures => parts.reduce(addFeatures, ZERO_FEATURES);
