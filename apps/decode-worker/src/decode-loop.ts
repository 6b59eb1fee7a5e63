import { Engine, type FinishReason, type SequenceRequest, type StepOutcome } from '@oicf/engine';
import type { SequenceKv, TokenLogprob } from '@oicf/kernels';
import { OicfError, toOicfError } from '@oicf/transport';
import { LogprobRecorder, type StepShapeQuery, type WorkerRuntime } from '@oicf/worker';

/** Where a sequence's output goes. Calls happen after the step that produced them (and its pacing). */
export interface SequenceSink {
  /**
   * Tokens of one step; `firstIndex` is the generation index of tokenIds[0]. `logprobs` are those of the
   * tokens this worker sampled, in order, when the request asked for them (a first token from a prefill
   * worker has none).
   */
  onTokens(tokenIds: readonly number[], firstIndex: number, stepSeconds: number, logprobs: TokenLogprob[]): void;
  onFinish(reason: FinishReason, numGenerated: number): void;
  onError(error: OicfError): void;
}

/**
 * Where the loop's thread went in one iteration, measured on the worker's clock (issue 12: the twin's model of
 * the time between steps). `flushSeconds`: after the step's end (its pacing included) until its tokens were
 * handed to the sinks and afterStep ran; `turnSeconds`: from then until the next step starts, one event-loop
 * turn in which other callbacks ran (kv.handoff receipts, Decode calls importing KV, request-plane I/O).
 */
export interface LoopTimes {
  readonly phase: 'prefill' | 'decode';
  /** Sequences in the step (1 for a prefill). */
  readonly batch: number;
  readonly flushSeconds: number;
  readonly turnSeconds: number;
}

/**
 * The parts of the loop whose process CPU a meter may measure (a measurement only: `options.cpu`). A step is
 * `step_after_wait` when the loop's thread waited just before it (an idle wait for work, or a pacing sleep after
 * the previous step), else `step`: whether a kernel that starts after its thread gave up the core costs more.
 */
export type DecodeLoopPart = 'idle' | 'turn' | 'step' | 'step_after_wait' | 'pace' | 'flush';

interface Entry {
  readonly sink: SequenceSink;
  /** Prompt + generated tokens, for caching the finished sequence's blocks. */
  readonly tokens: number[];
  pending: number[];
  pendingFirstIndex: number;
  /** Prompt tokens still to compute for the first time; prefill beyond them is recomputation (preemption). */
  promptLeft: number;
  finish: { reason: FinishReason; numGenerated: number } | undefined;
  error: OicfError | undefined;
  /** When it joined, until its first step started (only after a remote prefill: whole prompt present, nothing resumed). */
  joinedAtSeconds: number | undefined;
}

/**
 * Drives @oicf/engine's Engine on this worker's kernels: schedule → run → update, one step at a time,
 * yielding to the event loop between steps so gRPC, WebSocket and timers keep flowing. Each step is
 * measured, paced to the emulated target (if any), classified and recorded; only then are its tokens
 * handed to the sinks, so streamed timing matches the emulated device.
 *
 * When a sequence finishes (stop or length) the runner has just released its KV store to
 * `handleRelease`; `onFinished` gets it with the sequence's tokens to keep its blocks.
 */
export class DecodeLoop {
  readonly engine: Engine;
  private readonly entries = new Map<string, Entry>();
  private readonly released = new Map<string, SequenceKv | undefined>();
  private readonly logprobs = new LogprobRecorder();
  /** Sequences that joined with their whole prompt and are not yet in a step (noteFirstSteps). */
  private readonly joining = new Set<string>();
  private wake: (() => void) | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly rt: WorkerRuntime,
    private readonly options: {
      readonly kvCapacityBytes: number;
      readonly onFinished?: (seqId: string, tokens: readonly number[], kv: SequenceKv) => void;
      /** After every step, with the KV bytes running sequences hold (the block cache shrinks to fit). */
      readonly afterStep?: (kvBytesUsed: number) => void;
      readonly onPreempt?: (seqId: string, numDroppedKvTokens: number) => void;
      /** Measured per loop iteration after a step ran (not after an idle look): see LoopTimes. */
      readonly onLoopTimes?: (times: LoopTimes) => void;
      /** A sequence that joined with its prompt's KV present (a remote prefill) starts its first step `waitSeconds` after it joined. */
      readonly onFirstStep?: (seqId: string, waitSeconds: number) => void;
      /** Charged at each part's end with the CPU since the previous mark (apps/decode-worker main.ts: /metrics). */
      readonly cpu?: { mark(part: DecodeLoopPart): void };
    },
  ) {
    this.engine = new Engine(
      {
        kvBytesCapacity: options.kvCapacityBytes,
        kvBytesPerToken: rt.model.kvBytesPerToken,
        maxBatch: rt.config.maxBatch,
        maxPrefillTokensPerStep: rt.config.maxPrefillTokensPerStep,
      },
      rt.steps,
      this.logprobs.sampler,
      {
        onToken: (seqId, tokenId, index) => this.onToken(seqId, tokenId, index),
        onFinish: (seqId, reason, n) => this.onFinish(seqId, reason, n),
        onPreempt: (seqId, dropped) => {
          this.released.delete(seqId);
          this.options.onPreempt?.(seqId, dropped);
        },
      },
    );
  }

  /** The runner released a sequence's KV (StepRunner.release): kept until the engine says why. */
  handleRelease(seqId: string, kv: SequenceKv | undefined): void {
    if (this.entries.has(seqId)) this.released.set(seqId, kv);
  }

  /** Queues a sequence whose first `numPresentTokens` prompt tokens already have KV in the runner. */
  add(req: SequenceRequest, sink: SequenceSink): { ok: true } | { ok: false; reason: string } {
    if (this.stopped) return { ok: false, reason: 'the decode loop is stopped' };
    const added = this.engine.add(req);
    if (!added.ok) return added;
    // Its whole prompt's KV here and nothing generated elsewhere (a migrated sequence prefills those first).
    const remotePrefill =
      req.numPresentTokens === req.promptTokenIds.length && (req.resumedTokenIds?.length ?? 0) === 0;
    this.entries.set(req.seqId, {
      sink,
      // A migrated request's tokens generated elsewhere are part of its sequence (and computed here first).
      tokens: [...req.promptTokenIds, ...(req.resumedTokenIds ?? [])],
      pending: [],
      pendingFirstIndex: 0,
      promptLeft: req.promptTokenIds.length + (req.resumedTokenIds?.length ?? 0) - req.numPresentTokens,
      finish: undefined,
      error: undefined,
      joinedAtSeconds: remotePrefill ? this.rt.clock.nowSeconds() : undefined,
    });
    if (remotePrefill) this.joining.add(req.seqId);
    this.wake?.();
    return added;
  }

  /**
   * Stops a sequence wherever it is; false when unknown. Its sink gets onFinish('cancelled'), and `afterStep`
   * runs with the KV now in use, so gauges fed from it drop at once (no step may follow: the batch may be
   * empty now).
   */
  cancel(seqId: string): boolean {
    const ok = this.engine.cancel(seqId);
    if (ok) {
      this.flush(0);
      this.options.afterStep?.(this.engine.kvBytesUsed);
    }
    return ok;
  }

  has(seqId: string): boolean {
    return this.entries.has(seqId);
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Stops after the current step; sequences still running get an UNAVAILABLE error. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    for (const [seqId, e] of this.entries) {
      e.error = new OicfError('UNAVAILABLE', 'the decode worker is shutting down: retry on another worker');
      this.engine.cancel(seqId);
    }
    this.flush(0);
  }

  private async run(): Promise<void> {
    const { rt } = this;
    const cpu = this.options.cpu;
    /** The loop waited (idle, or slept pacing) since its last step: the next step is a step_after_wait. */
    let waited = true;
    /** The last step's phase, batch and the end of its flush: the next step's start closes its turn. */
    let last: { phase: 'prefill' | 'decode'; batch: number; flushSeconds: number; flushedAt: number } | undefined;
    while (!this.stopped) {
      if (!this.engine.hasWork) {
        last = undefined; // an idle wait is not a turn between steps
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        cpu?.mark('idle');
        waited = true;
        continue;
      }
      cpu?.mark('turn');
      const t0 = rt.clock.nowSeconds();
      if (last !== undefined) {
        const { phase, batch, flushSeconds, flushedAt } = last;
        this.options.onLoopTimes?.({ phase, batch, flushSeconds, turnSeconds: t0 - flushedAt });
        last = undefined;
      }
      let outcome: StepOutcome;
      let measured: number;
      try {
        outcome = await this.engine.step();
        measured = rt.clock.nowSeconds() - t0;
      } catch (err) {
        this.failAll(toOicfError(err));
        continue;
      } finally {
        // A step that threw is charged to its own part too (with the failing of its sequences), not to the next.
        cpu?.mark(waited ? 'step_after_wait' : 'step');
      }
      waited = false;
      this.noteFirstSteps(outcome, t0);
      let stepSeconds = measured;
      if (outcome.kind === 'idle') {
        // Work is waiting for memory or batch room that only a finishing sequence frees.
        await rt.clock.sleep(0.001);
        cpu?.mark('idle');
        waited = true;
      } else {
        const shape: StepShapeQuery =
          outcome.kind === 'prefill'
            ? { phase: 'prefill', numNewTokens: outcome.numTokens, cachedTokens: outcome.contextTokens }
            : { phase: 'decode', contextTokens: outcome.contextTokens };
        const analysis = rt.analyzer.analyze(shape);
        stepSeconds = await rt.pacer.afterStep(analysis.target, measured);
        if (stepSeconds > measured) waited = true;
        rt.recorder.record(shape, rt.steps.takeEngineStep(), stepSeconds, analysis);
        if (outcome.kind === 'prefill') this.countPrefill(outcome.seqId, outcome.numTokens);
        cpu?.mark('pace');
      }
      const tEnd = rt.clock.nowSeconds();
      this.flush(stepSeconds);
      const used = this.engine.kvBytesUsed;
      const running = this.engine.numRunning;
      rt.wm.capacityFootprint.set(running > 0 ? used / running : 0);
      this.options.afterStep?.(used);
      cpu?.mark('flush');
      if (outcome.kind !== 'idle') {
        const flushedAt = rt.clock.nowSeconds();
        const batch = outcome.kind === 'decode' ? outcome.seqIds.length : 1;
        last = { phase: outcome.kind, batch, flushSeconds: flushedAt - tEnd, flushedAt };
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Sequences that joined with their whole prompt (a remote prefill) and were in this decode step, which started
   * at `stepStart`: their wait for the batch ends there (the engine admits at the step's start, so it is the
   * first step that includes them).
   */
  private noteFirstSteps(outcome: StepOutcome, stepStart: number): void {
    if (this.joining.size === 0 || outcome.kind !== 'decode') return;
    for (const seqId of outcome.seqIds) {
      const e = this.entries.get(seqId);
      if (e?.joinedAtSeconds === undefined) continue;
      this.options.onFirstStep?.(seqId, stepStart - e.joinedAtSeconds);
      e.joinedAtSeconds = undefined;
      this.joining.delete(seqId);
    }
  }

  /** Counts a prefill step's tokens: the prompt's first computation once, anything more as recomputed. */
  private countPrefill(seqId: string, numTokens: number): void {
    const e = this.entries.get(seqId);
    const first = e === undefined ? numTokens : Math.min(numTokens, e.promptLeft);
    if (e !== undefined) e.promptLeft -= first;
    this.rt.wm.computedTokens.inc(first);
    if (numTokens > first) this.rt.wm.recomputedTokens.inc({ reason: 'preemption' }, numTokens - first);
  }

  private onToken(seqId: string, tokenId: number, index: number): void {
    const e = this.entries.get(seqId);
    if (e === undefined) return;
    if (e.pending.length === 0) e.pendingFirstIndex = index;
    e.pending.push(tokenId);
    e.tokens.push(tokenId);
  }

  private onFinish(seqId: string, reason: FinishReason, numGenerated: number): void {
    const e = this.entries.get(seqId);
    const kv = this.released.get(seqId);
    this.released.delete(seqId);
    if (e === undefined) return;
    e.finish = { reason, numGenerated };
    if (reason !== 'cancelled' && kv !== undefined && e.error === undefined) {
      try {
        this.options.onFinished?.(seqId, e.tokens, kv);
      } catch (err) {
        this.rt.log.warn('could not keep the finished sequence’s blocks', { seqId, error: String(err) });
      }
    }
  }

  /** Hands buffered tokens and finishes to the sinks. */
  private flush(stepSeconds: number): void {
    for (const [seqId, e] of this.entries) {
      if (e.pending.length > 0 && e.error === undefined) {
        const tokens = e.pending;
        e.pending = [];
        e.sink.onTokens(tokens, e.pendingFirstIndex, stepSeconds, this.logprobs.take(seqId));
      }
      if (e.finish !== undefined || e.error !== undefined) {
        this.entries.delete(seqId);
        this.joining.delete(seqId);
        this.rt.steps.forget(seqId);
        this.logprobs.forget(seqId);
        if (e.error !== undefined) e.sink.onError(e.error);
        else if (e.finish !== undefined) e.sink.onFinish(e.finish.reason, e.finish.numGenerated);
      }
    }
  }

  /** A kernel step failed: every sequence of this worker fails with the error (their KV state is unknown). */
  private failAll(error: OicfError): void {
    this.rt.log.error('engine step failed; failing every running sequence', { code: error.code, error: error.message });
    for (const [seqId, e] of this.entries) {
      e.error = new OicfError(error.code, `decode step failed: ${error.message}`);
      this.engine.cancel(seqId);
    }
    this.flush(0);
  }
}
