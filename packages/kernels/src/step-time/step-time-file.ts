import { fieldIssues } from '@oicf/core';
import { z } from 'zod';
import type { ModelCostStructure } from './cost-structure.js';
import { COLUMNS, type Column } from './feature-vector.js';
import type { CacheState } from './fit-by-state.js';
import type { FitSample, StepPrices, StepTimeFit } from './fit-step-time.js';
import { migrateV1, migrateV2 } from './step-time-file-v1.js';

/**
 * The calibrated step-time model as `oicf roofline` saves it beside the calibration
 * (`.oicf/step-time.json`): the fitted costs, the measured samples they were fitted to, and the
 * cost structures of the models the sweep ran (so a reader prices them without building graphs).
 */
export interface StepTimeFile {
  readonly kind: 'oicf-step-time';
  /** 3: the KV cache term (kvSpillBytes, fit.kvCacheBytes) and broadcast attention as its own column
   * (broadcastAttentionFlops, split from attentionFlops); version 2 added the attention split and
   * the resident-set cache term. Versions 1 and 2 load as 3 (migrateV1, migrateV2) and price as before. */
  readonly version: typeof STEP_TIME_FILE_VERSION;
  readonly measuredAt: string;
  /** What `seconds` means: the wall time of one KernelRunner call (feeds, session.run, write-back). */
  readonly target: 'runner-call';
  /** onnxruntime intra-op threads the points ran with (a fit applies to that count only). */
  readonly intraOpNumThreads: number;
  /** From `oicf roofline --quick` (few points): a full run replaces it, it never replaces a full one. */
  readonly quick: boolean;
  /** Load average (1 min) at the start and end of the sweep. */
  readonly loadAverage: readonly [number, number];
  /** 'clean': fitted to the points no other process preempted (run-sweep.ts cleanRuns); 'all': none
   * was clean, so every point was fitted (a busy machine: expect a poorer fit). */
  readonly fittedOn: 'clean' | 'all';
  readonly fit: StepTimeFit;
  /** Leave-one-out cross-validation over the same samples (fit-step-time.ts leaveOneOut). */
  readonly crossValidation: { readonly rmsRelativeError: number; readonly maxRelativeError: number };
  readonly samples: readonly (FitSample & { readonly label: string })[];
  readonly structures: readonly ModelCostStructure[];
  /** Optional (round 6; absent from older files, which load and price exactly as before): the
   * resident-set byte columns and cache capacities fitted per host cache state (fit-by-state.ts).
   * `fit` above stays the one fit over every sample, for a reader that does not know the state. */
  readonly states?: StepTimeStates;
}

/** A per-state fit as saved: what the state is, each state's prices and how well they did. */
export interface StepTimeStates {
  /** The read probe's working set and rate at and above which a repeat was cached (cache-state.ts). */
  readonly threshold: { readonly mib: number; readonly gbps: number };
  readonly stateColumns: readonly Column[];
  readonly byState: Readonly<Record<CacheState, StepPrices & { readonly fittedColumns: readonly Column[] }>>;
  readonly numSamples: Readonly<Record<CacheState, number>>;
  /** Share of the measured repeats (cached or uncached) in each state: the weights of the 'mix'. */
  readonly shareOfRepeats: Readonly<Record<CacheState, number>>;
  /** Leave-one-out per state over that state's samples. */
  readonly crossValidation: Readonly<
    Record<CacheState, { readonly rmsRelativeError: number; readonly maxRelativeError: number }>
  >;
}

export const STEP_TIME_FILE_VERSION = 3;

/** Where `oicf roofline` keeps it: beside DEFAULT_CALIBRATION_PATH. */
export const DEFAULT_STEP_TIME_PATH = '.oicf/step-time.json';

const num = z.number().refine(Number.isFinite, 'must be finite');
const kinds = z.object({ fp32: num, fp16: num, int8: num }).strict();
const features = z
  .object({
    numRuns: num,
    numNodes: num,
    numInputs: num,
    gemmFlops: kinds,
    weightBytes: kinds,
    attentionFlops: num,
    broadcastAttentionFlops: num,
    kvReadBytes: num,
    activationBytes: num,
    dequantBytes: num,
    attentionGemmFlops: num,
    kvStreamBytes: num,
    residentBytes: num,
  })
  .strict();
const decode = z.object({
  single: features,
  base: features,
  perSequence: features,
  perContextToken: features,
  perOpenToken: features,
  perLeadToken: features,
});
const column = z.enum(COLUMNS);
const costs = z.object(Object.fromEntries(COLUMNS.map((c) => [c, num.min(0)])) as Record<Column, typeof num>);
const statePrices = z.object({
  costs,
  cacheBytes: num.positive().nullable(),
  kvCacheBytes: num.positive().nullable(),
  fittedColumns: z.array(column),
});
const errorPair = z.object({ rmsRelativeError: num, maxRelativeError: num });
const states = z.object({
  threshold: z.object({ mib: num.positive(), gbps: num.positive() }),
  stateColumns: z.array(column),
  byState: z.object({ cached: statePrices, uncached: statePrices }),
  numSamples: z.object({ cached: z.number().int().nonnegative(), uncached: z.number().int().nonnegative() }),
  // The 'mix' weighs the states by these shares over their sum: both 0 would price every step NaN.
  shareOfRepeats: z
    .object({ cached: num.min(0).max(1), uncached: num.min(0).max(1) })
    .refine((s) => s.cached + s.uncached > 0, { message: 'the two shares are both 0: at least one must be > 0' }),
  crossValidation: z.object({ cached: errorPair, uncached: errorPair }),
});
const schema = z.object({
  kind: z.literal('oicf-step-time'),
  version: z.literal(STEP_TIME_FILE_VERSION),
  measuredAt: z.string(),
  target: z.literal('runner-call'),
  intraOpNumThreads: z.number().int().positive(),
  quick: z.boolean(),
  loadAverage: z.tuple([num, num]),
  fittedOn: z.enum(['clean', 'all']),
  fit: z.object({
    costs,
    cacheBytes: num.positive().nullable(),
    kvCacheBytes: num.positive().nullable(),
    fittedColumns: z.array(column),
    numSamples: z.number().int().positive(),
    rmsRelativeError: num,
    maxRelativeError: num,
  }),
  crossValidation: z.object({ rmsRelativeError: num, maxRelativeError: num }),
  samples: z.array(z.object({ label: z.string(), features, seconds: num.positive() })),
  structures: z.array(
    z.object({
      modelId: z.string(),
      weights: z.enum(['fp32', 'fp16', 'int8']),
      kTileTokens: z.number().int().positive(),
      prefillChunkTokens: z.number().int().positive(),
      prefill: z.object({ base: features, perNewToken: features, perCachedToken: features, perScore: features }),
      decode: z.object({ tiled: decode, short: decode.optional() }),
      moe: z
        .object({
          numExperts: z.number().int().positive(),
          topK: z.number().int().positive(),
          expertWeightBytes: kinds,
        })
        .optional(),
    }),
  ),
  states: states.optional(),
});

/** Thrown when a step-time file is unreadable or malformed; names the file and every bad field. */
export class StepTimeFileError extends Error {
  override readonly name = 'StepTimeFileError';
}

/** Parses and validates a step-time file (JSON text). */
export function parseStepTimeFile(text: string, file = 'step-time'): StepTimeFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new StepTimeFileError(`${file}: not JSON (${(e as Error).message}); rerun 'oicf roofline'`);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== 1 && version !== 2 && version !== STEP_TIME_FILE_VERSION) {
    throw new StepTimeFileError(
      `${file}: version: ${JSON.stringify(version)} is not a step-time file version this build reads (1, 2, ${STEP_TIME_FILE_VERSION}); rerun 'oicf roofline'`,
    );
  }
  const r = schema.safeParse(
    version === 1
      ? migrateV2(migrateV1(raw, 2), STEP_TIME_FILE_VERSION)
      : version === 2
        ? migrateV2(raw, STEP_TIME_FILE_VERSION)
        : raw,
  );
  if (!r.success) {
    const fields = fieldIssues(r.error.issues)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    throw new StepTimeFileError(`${file}: invalid step-time file (${fields}); rerun 'oicf roofline'`);
  }
  return r.data as StepTimeFile;
}

/** The structure saved for `modelId` at `weights`, if the sweep ran that model. */
export function savedStructure(
  file: StepTimeFile,
  modelId: string,
  weights: ModelCostStructure['weights'],
): ModelCostStructure | undefined {
  return file.structures.find((s) => s.modelId === modelId && s.weights === weights);
}

/**
 * Whether `oicf roofline` should replace a saved file with a new fit (the calibration's rules,
 * calibration-reuse.ts): a full run always writes; a quick run keeps a saved full fit measured
 * with the same thread count.
 */
export function shouldReplaceStepTime(
  saved: StepTimeFile | undefined,
  next: { readonly quick: boolean; readonly intraOpNumThreads: number },
): boolean {
  if (saved === undefined || !next.quick) return true;
  return saved.quick || saved.intraOpNumThreads !== next.intraOpNumThreads;
}
