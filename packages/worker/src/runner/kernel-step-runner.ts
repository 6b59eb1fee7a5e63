import type { StepRunner } from '@oicf/engine';
import type { KernelRunner, SequenceKv, StepStats } from '@oicf/kernels';

/**
 * The engine's StepRunner port on the ONNX KernelRunner (one per worker process, "the device").
 *
 * - Every kernel call (engine steps and the worker's own out-of-loop prefills) runs under one lock,
 *   so two onnxruntime runs never compete for the worker's cores.
 * - A sequence is allocated on its first prefill/import with the token budget given to `reserve`
 *   (prompt + max output), so a decode step never outgrows its buffer.
 * - `release` hands the sequence's KV store to `onRelease` before dropping it: the decode worker
 *   copies a finished sequence's full blocks into its local block cache from there (the engine
 *   releases before it reports the finish).
 * - The stats of the last step the engine ran are kept for pacing and metrics (`takeEngineStep`).
 * - With `trafficEverySeconds`, the graph of the last engine step gets a traffic probe at most that
 *   often (KernelRunner.armTrafficProbe): the next step of that graph also reports the bytes its
 *   kernels moved (StepStats.traffic), from which the recorder derives measured OI. Off by default:
 *   arming creates a profiled onnxruntime session, which blocks the event loop for 0.1–3 s
 *   (measured: 0.8 s for the tiny-gqa int8 batch-16 decode graph).
 */
export class KernelStepRunner implements StepRunner {
  private readonly reserved = new Map<string, number>();
  private lock: Promise<unknown> = Promise.resolve();
  private lastEngineStep: StepStats | undefined;
  private lastArmedSeconds: number;

  constructor(
    readonly runner: KernelRunner,
    private readonly options: {
      /** Tokens to reserve for sequences nobody called `reserve` for. */
      defaultMaxTokens: number;
      onRelease?: (seqId: string, kv: SequenceKv | undefined) => void;
      /** Probe an engine step's traffic at most this often (seconds); undefined: never. */
      trafficEverySeconds?: number;
      /** Monotonic clock for the probe interval (default performance.now). */
      nowSeconds?: () => number;
    },
  ) {
    this.lastArmedSeconds = this.now();
  }

  private now(): number {
    return this.options.nowSeconds?.() ?? performance.now() / 1000;
  }

  /** Arms a traffic probe of the last graph when one is due (see the class comment). */
  private maybeArmTraffic(): void {
    const every = this.options.trafficEverySeconds;
    if (every === undefined || this.now() - this.lastArmedSeconds < every) return;
    this.lastArmedSeconds = this.now();
    void this.runner.armTrafficProbe().catch(() => {});
  }

  /** Reserves `maxTokens` KV rows for `seqId` when it is (re)allocated. */
  reserve(seqId: string, maxTokens: number): void {
    this.reserved.set(seqId, maxTokens);
  }

  /** Forgets the reservation (after the request ended). */
  forget(seqId: string): void {
    this.reserved.delete(seqId);
  }

  maxTokensFor(seqId: string): number {
    return this.reserved.get(seqId) ?? this.options.defaultMaxTokens;
  }

  async prefill(seqId: string, tokenIds: readonly number[], fromToken: number): Promise<Float32Array> {
    const stats = await this.prefillDirect(seqId, tokenIds, fromToken);
    this.lastEngineStep = stats.stats;
    this.maybeArmTraffic();
    return stats.lastLogits;
  }

  async decode(batch: readonly { readonly seqId: string; readonly tokenId: number }[]): Promise<Float32Array[]> {
    const out = await this.exclusive(() =>
      this.runner.decodeStep(
        batch.map((b) => b.seqId),
        batch.map((b) => b.tokenId),
      ),
    );
    this.lastEngineStep = out.stats;
    this.maybeArmTraffic();
    const V = this.runner.config.vocabSize;
    return batch.map((_, i) => out.logits.subarray(i * V, (i + 1) * V));
  }

  release(seqId: string): void {
    const kv = this.runner.sequence(seqId);
    this.runner.release(seqId);
    this.options.onRelease?.(seqId, kv);
  }

  /**
   * Prefill outside the engine (recomputing KV the worker could not fetch): computes KV for
   * tokenIds[fromToken..] on top of the fromToken tokens already cached, under the device lock.
   */
  async prefillDirect(
    seqId: string,
    tokenIds: readonly number[],
    fromToken: number,
  ): Promise<{ lastLogits: Float32Array; stats: StepStats }> {
    return this.exclusive(async () => {
      const have = this.runner.contextLength(seqId);
      if (have !== fromToken) {
        throw new Error(`prefill ${seqId}: asked to start at token ${fromToken} but the runner holds ${have}`);
      }
      const out = await this.runner.prefill(seqId, tokenIds.slice(fromToken), { maxTokens: this.maxTokensFor(seqId) });
      const V = this.runner.config.vocabSize;
      return { lastLogits: out.logits.subarray(out.logits.length - V), stats: out.stats };
    });
  }

  /** The stats of the last kernel call the engine made, once (undefined after the first take). */
  takeEngineStep(): StepStats | undefined {
    const s = this.lastEngineStep;
    this.lastEngineStep = undefined;
    return s;
  }

  /** Runs `fn` alone on the device: calls queue in order. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => {});
    return run;
  }
}
