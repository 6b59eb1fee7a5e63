// The step loop's ports and values. The engine is pure: the model runner, the sampler and the
// KV offload target are injected; time never appears (workers measure and pace around it).

/** Runs the real kernels for the engine. Implemented by the ONNX runner in workers, by a fake in tests. */
export interface StepRunner {
  /**
   * Computes KV for `tokenIds[fromToken..]` of `seqId`, whose KV for `[0, fromToken)` is already
   * present (imported or computed earlier), and returns the logits of the last token.
   */
  prefill(seqId: string, tokenIds: readonly number[], fromToken: number): Promise<Float32Array>;
  /** One decode step: appends one token per sequence and returns each sequence's next logits. */
  decode(batch: readonly { readonly seqId: string; readonly tokenId: number }[]): Promise<Float32Array[]>;
  /** Frees the sequence's KV buffers. */
  release(seqId: string): void;
}

/** Chooses the next token from logits. `step` is the index of the token being generated. */
export type Sampler = (logits: Float32Array, params: SamplingParams, seqId: string, step: number) => number;

export interface SamplingParams {
  /** 0 = greedy. */
  readonly temperature: number;
  readonly seed: number;
  readonly topK?: number;
}

export interface SequenceRequest {
  readonly seqId: string;
  /** The whole prompt. */
  readonly promptTokenIds: readonly number[];
  /**
   * Prompt tokens whose KV is already in the runner when the sequence is added (received from a
   * prefill worker or the pool). Equal to the prompt length when prefill ran remotely.
   */
  readonly numPresentTokens: number;
  /** First generated token when prefill ran remotely (it sampled it); absent for local prefill. */
  readonly firstTokenId?: number;
  /**
   * Tokens already generated for this request elsewhere (request migration: a worker died mid-stream). The
   * sequence is prompt + these, like a preempted one: everything but the last is prefilled, generation goes
   * on at index resumedTokenIds.length, and maxTokens counts them. Not with firstTokenId.
   */
  readonly resumedTokenIds?: readonly number[];
  readonly maxTokens: number;
  readonly stopTokenIds: readonly number[];
  readonly sampling: SamplingParams;
}

export type FinishReason = 'stop' | 'length' | 'cancelled';

export interface EngineConfig {
  /** KV bytes the worker may hold (its "HBM"). */
  readonly kvBytesCapacity: number;
  readonly kvBytesPerToken: number;
  /** Most sequences decoded in one step. */
  readonly maxBatch: number;
  /** Longest local prefill per step, in tokens (chunked prefill bounds decode stalls). */
  readonly maxPrefillTokensPerStep: number;
  /**
   * A decode step's plan and outcome (their arrays and batch entries) are the engine's own buffers, rewritten
   * by the next beginStep (default false: new ones every step). For a host that reads them before it begins the
   * next step and keeps none of them (the cluster twin: one decode step per event, millions per run). The
   * engine's decisions are the same either way.
   */
  readonly reuseStepArrays?: boolean;
}

export interface EngineEvents {
  onToken(seqId: string, tokenId: number, index: number): void;
  onFinish(seqId: string, reason: FinishReason, numGeneratedTokens: number): void;
  /** A running sequence was evicted to make room; it will be recomputed when readmitted. */
  onPreempt?(seqId: string, numDroppedKvTokens: number): void;
}

/**
 * What `Engine.beginStep()` scheduled, for a host that runs the step itself: a prefill chunk of tokens
 * [fromToken, toToken) of one sequence (its KV for [0, fromToken) present), one decode step over `batch`
 * (sequence b has `contextTokens[b]` tokens of KV before the step), or nothing to run.
 */
export type PlannedStep =
  | { readonly kind: 'idle' }
  | { readonly kind: 'prefill'; readonly seqId: string; readonly fromToken: number; readonly toToken: number }
  | {
      readonly kind: 'decode';
      readonly batch: readonly { readonly seqId: string; readonly tokenId: number }[];
      readonly contextTokens: readonly number[];
    };

/** What one call to step() did. */
export type StepOutcome =
  | { readonly kind: 'idle' }
  | { readonly kind: 'prefill'; readonly seqId: string; readonly numTokens: number; readonly contextTokens: number }
  | { readonly kind: 'decode'; readonly seqIds: readonly string[]; readonly contextTokens: readonly number[] };
