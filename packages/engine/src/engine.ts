import type {
  EngineConfig,
  EngineEvents,
  FinishReason,
  Sampler,
  SequenceRequest,
  StepOutcome,
  StepRunner,
} from './types.js';

/**
 * One sequence's state. Invariant: tokenIds = prompt + generated; the KV of tokenIds[0, kvTokens)
 * is in the runner; when running, `pending` is the last generated token, whose KV the next decode
 * step computes (so kvTokens = tokenIds.length − 1 while running).
 */
interface Sequence {
  readonly req: SequenceRequest;
  readonly tokenIds: number[];
  kvTokens: number;
  numGenerated: number;
  state: 'waiting' | 'prefilling' | 'running';
  /** Admission order; the newest running sequence is preempted first. */
  admittedAt: number;
}

/**
 * The step loop both workers drive (vLLM v1's shape: schedule → run → update). Continuous
 * batching: sequences join between steps as KV memory allows and leave when they finish. One call
 * to step() runs either one prefill chunk or one decode step over the running batch; when both are
 * pending they alternate, so a long prompt never stalls decoding for more than one chunk.
 * KV is allocated per token (bytes = tokens × kvBytesPerToken); when a decode step would exceed
 * capacity the newest running sequence is preempted and later recomputed from its tokens.
 */
export class Engine {
  private readonly sequences = new Map<string, Sequence>();
  private readonly waiting: Sequence[] = [];
  private admissions = 0;
  private lastKind: 'prefill' | 'decode' | 'idle' = 'idle';

  constructor(
    private readonly config: EngineConfig,
    private readonly runner: StepRunner,
    private readonly sample: Sampler,
    private readonly events: EngineEvents,
  ) {
    if (!(config.kvBytesPerToken > 0)) throw new Error('Engine: kvBytesPerToken must be > 0');
    if (!(config.maxBatch >= 1) || !(config.maxPrefillTokensPerStep >= 1)) {
      throw new Error('Engine: maxBatch and maxPrefillTokensPerStep must be ≥ 1');
    }
  }

  /** Queues a sequence. Returns an error value when it could never fit or is malformed. */
  add(req: SequenceRequest): { ok: true } | { ok: false; reason: string } {
    if (this.sequences.has(req.seqId)) return { ok: false, reason: `sequence ${req.seqId} already exists` };
    if (req.promptTokenIds.length === 0) return { ok: false, reason: 'the prompt is empty' };
    if (req.numPresentTokens < 0 || req.numPresentTokens > req.promptTokenIds.length) {
      return {
        ok: false,
        reason: `numPresentTokens ${req.numPresentTokens} is outside [0, ${req.promptTokenIds.length}]`,
      };
    }
    if (req.firstTokenId !== undefined && req.numPresentTokens !== req.promptTokenIds.length) {
      return { ok: false, reason: 'firstTokenId requires the whole prompt KV to be present' };
    }
    const resumed = req.resumedTokenIds ?? [];
    if (resumed.length > 0 && (req.firstTokenId !== undefined || resumed.length >= req.maxTokens)) {
      return { ok: false, reason: 'resumedTokenIds needs no firstTokenId and fewer tokens than maxTokens' };
    }
    const worstTokens = req.promptTokenIds.length + req.maxTokens;
    if (worstTokens * this.config.kvBytesPerToken > this.config.kvBytesCapacity) {
      return {
        ok: false,
        reason: `the sequence needs up to ${worstTokens * this.config.kvBytesPerToken} KV bytes; capacity is ${this.config.kvBytesCapacity}`,
      };
    }
    const seq: Sequence = {
      req,
      tokenIds: [...req.promptTokenIds, ...resumed],
      kvTokens: req.numPresentTokens,
      numGenerated: resumed.length,
      state: 'waiting',
      admittedAt: 0,
    };
    this.sequences.set(req.seqId, seq);
    this.waiting.push(seq);
    return { ok: true };
  }

  /** Removes a sequence wherever it is; emits onFinish('cancelled'). False when unknown. */
  cancel(seqId: string): boolean {
    const seq = this.sequences.get(seqId);
    if (!seq) return false;
    this.finish(seq, 'cancelled');
    return true;
  }

  get numRunning(): number {
    return this.admitted().filter((s) => s.state === 'running').length;
  }

  get numWaiting(): number {
    return this.waiting.length + this.admitted().filter((s) => s.state === 'prefilling').length;
  }

  /** KV bytes held by admitted sequences. */
  get kvBytesUsed(): number {
    return this.admitted().reduce((sum, s) => sum + s.kvTokens, 0) * this.config.kvBytesPerToken;
  }

  /** Tokens still to be prefilled locally (waiting and prefilling sequences). */
  get numQueuedPrefillTokens(): number {
    let n = 0;
    for (const s of this.sequences.values()) {
      if (s.state !== 'running') n += prefillTarget(s) - s.kvTokens;
    }
    return n;
  }

  get hasWork(): boolean {
    return this.sequences.size > 0;
  }

  /** Context length (tokens with KV) of a sequence, or undefined. */
  contextTokens(seqId: string): number | undefined {
    return this.sequences.get(seqId)?.kvTokens;
  }

  async step(): Promise<StepOutcome> {
    this.admit();
    const prefilling = this.admitted()
      .filter((s) => s.state === 'prefilling')
      .sort((a, b) => a.admittedAt - b.admittedAt);
    const running = this.admitted().filter((s) => s.state === 'running');
    const preferDecode = this.lastKind === 'prefill' && running.length > 0;
    const first = prefilling[0];
    if (first && !preferDecode) {
      this.lastKind = 'prefill';
      return this.prefillChunk(first);
    }
    if (running.length > 0) {
      this.lastKind = 'decode';
      return this.decodeStep();
    }
    this.lastKind = 'idle';
    return { kind: 'idle' };
  }

  private admitted(): Sequence[] {
    return [...this.sequences.values()].filter((s) => s.state !== 'waiting');
  }

  private freeKvTokens(): number {
    const used = this.admitted().reduce((sum, s) => sum + s.kvTokens, 0);
    return Math.floor(this.config.kvBytesCapacity / this.config.kvBytesPerToken) - used;
  }

  /** FIFO admission while a batch slot and KV for the whole current context (+1) are free. */
  private admit(): void {
    while (this.waiting.length > 0) {
      const seq = this.waiting[0] as Sequence;
      if (this.admitted().length >= this.config.maxBatch) return;
      const needTokens = seq.tokenIds.length + 1 - seq.kvTokens;
      if (needTokens > this.freeKvTokens()) return;
      this.waiting.shift();
      seq.admittedAt = ++this.admissions;
      const promptDone = seq.kvTokens >= seq.tokenIds.length;
      if (promptDone && seq.req.firstTokenId !== undefined && seq.numGenerated === 0) {
        seq.state = 'running';
        this.emitToken(seq, seq.req.firstTokenId);
      } else if (seq.numGenerated > 0 && seq.kvTokens >= seq.tokenIds.length - 1) {
        seq.state = 'running';
      } else {
        seq.state = 'prefilling';
      }
    }
  }

  private async prefillChunk(seq: Sequence): Promise<StepOutcome> {
    // A resumed (preempted) sequence recomputes everything but its pending last token.
    const target = prefillTarget(seq);
    const from = seq.kvTokens;
    const to = Math.min(target, from + this.config.maxPrefillTokensPerStep);
    const logits = await this.runner.prefill(seq.req.seqId, seq.tokenIds.slice(0, to), from);
    if (!this.sequences.has(seq.req.seqId))
      return { kind: 'prefill', seqId: seq.req.seqId, numTokens: to - from, contextTokens: from };
    seq.kvTokens = to;
    if (to === target) {
      seq.state = 'running';
      if (seq.numGenerated === 0) this.emitToken(seq, this.sample(logits, seq.req.sampling, seq.req.seqId, 0));
    }
    return { kind: 'prefill', seqId: seq.req.seqId, numTokens: to - from, contextTokens: from };
  }

  private async decodeStep(): Promise<StepOutcome> {
    let running = this.admitted()
      .filter((s) => s.state === 'running')
      .sort((a, b) => a.admittedAt - b.admittedAt)
      .slice(0, this.config.maxBatch);
    // Each decode adds one KV token per sequence; preempt the newest until that fits.
    while (running.length > 0 && this.freeKvTokens() < running.length) {
      const victim = running[running.length - 1] as Sequence;
      this.preempt(victim);
      running = running.slice(0, -1);
    }
    if (running.length === 0) return { kind: 'idle' };
    const contextTokens = running.map((s) => s.kvTokens);
    const batch = running.map((s) => ({ seqId: s.req.seqId, tokenId: s.tokenIds[s.tokenIds.length - 1] as number }));
    const logits = await this.runner.decode(batch);
    running.forEach((seq, i) => {
      if (!this.sequences.has(seq.req.seqId)) return;
      seq.kvTokens += 1;
      const next = this.sample(logits[i] as Float32Array, seq.req.sampling, seq.req.seqId, seq.numGenerated);
      this.emitToken(seq, next);
    });
    return { kind: 'decode', seqIds: batch.map((b) => b.seqId), contextTokens };
  }

  private emitToken(seq: Sequence, tokenId: number): void {
    seq.tokenIds.push(tokenId);
    seq.numGenerated += 1;
    this.events.onToken(seq.req.seqId, tokenId, seq.numGenerated - 1);
    if (seq.req.stopTokenIds.includes(tokenId)) this.finish(seq, 'stop');
    else if (seq.numGenerated >= seq.req.maxTokens) this.finish(seq, 'length');
  }

  private preempt(seq: Sequence): void {
    const dropped = seq.kvTokens;
    this.runner.release(seq.req.seqId);
    seq.kvTokens = 0;
    seq.state = 'waiting';
    this.waiting.unshift(seq);
    this.events.onPreempt?.(seq.req.seqId, dropped);
  }

  private finish(seq: Sequence, reason: FinishReason): void {
    this.sequences.delete(seq.req.seqId);
    const idx = this.waiting.indexOf(seq);
    if (idx >= 0) this.waiting.splice(idx, 1);
    this.runner.release(seq.req.seqId);
    this.events.onFinish(seq.req.seqId, reason, seq.numGenerated);
  }
}

/** Tokens whose KV a non-running sequence needs before it can decode: the whole prompt, or for a
 * preempted sequence everything but its pending last token. */
function prefillTarget(seq: Sequence): number {
  return seq.numGenerated > 0 ? seq.tokenIds.length - 1 : seq.tokenIds.length;
}
