// Round 8: the decode worker builds a decode graph and its onnxruntime session the first time a step needs it. Until
// 9242195 the worker warmed only the batch-1 graphs at start; since, it builds batch 1 … warmBatches (default maxBatch)
// before it is ready (apps/decode-worker/src/main.ts), so this cost applies only to a worker run with warmBatches below
// maxBatch (`warmedBatches` then lists 1 … warmBatches). Any other batch size B, in its short-context form (every
// sequence's cached tokens under a K tile) or its tiled form, is built inside the first decode step of that shape
// (packages/kernels: KernelRunner.decodeStep awaits SessionCache.get, which builds the graph and creates the session on
// first use and keeps it for the process's life), on the worker's main thread, before the kernel. Measured, not fitted
// to a latency: the seconds come from timing those builds on this machine (bench/sim-fidelity-graph-build.ts); the twin
// charges them on the worker's main thread in the step that first needs the graph (workers/step-times.ts). The
// short/tiled rule is the kernels' own (isShortDecode: a non-MLA model, every context under the K tile), given here by
// the tile size the file was measured with (0: the model has no short-context graphs).

/** Measured CPU of one decode graph build + session creation: per graph, plus per sequence of its batch. */
export interface GraphBuildCost {
  readonly secondsPerGraph: number;
  readonly secondsPerSequence: number;
  /** The K tile in tokens (a step is short-context when every context is under it); 0: no short graphs. */
  readonly kTileTokens: number;
  /** Batch sizes the worker warms at start (built before any request: never charged). */
  readonly warmedBatches: readonly number[];
}

/** One decode worker's built graphs: the first step of each (batch, short/tiled) pays its build. */
export class DecodeGraphs {
  private readonly built = new Set<number>();

  constructor(private readonly cost: GraphBuildCost) {
    for (const b of cost.warmedBatches) {
      this.built.add(key(b, true));
      this.built.add(key(b, false));
    }
  }

  /** Seconds to build the graph a decode step over these contexts needs (0 when built), marking it built. */
  buildSeconds(contextTokens: readonly number[]): number {
    const batch = contextTokens.length;
    const tile = this.cost.kTileTokens;
    const short = tile > 0 && contextTokens.every((n) => n < tile);
    const k = key(batch, short);
    if (this.built.has(k)) return 0;
    this.built.add(k);
    return this.cost.secondsPerGraph + this.cost.secondsPerSequence * batch;
  }
}

/** Distinct for every batch ≥ 1 and form: 2·batch (+1 when short). */
function key(batch: number, short: boolean): number {
  return 2 * batch + (short ? 1 : 0);
}
