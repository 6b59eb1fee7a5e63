import { type DecodeBuffers, makeDecodeBuffers } from './decode-buffers.js';
import type {
  EngineConfig,
  EngineEvents,
  FinishReason,
  PlannedStep,
  Sampler,
  SequenceRequest,
  StepOutcome,
  StepRunner,
} from './types.js';

/**
 * One sequence's state. Invariant: its tokens are prompt + generated; the KV of tokens[0, kvTokens)
 * is in the runner; when running, the last generated token is pending: its KV is what the next decode
 * step computes (so kvTokens = numTokens − 1 while running). The prompt is held by reference (never
 * copied: a long prompt is not duplicated per sequence).
 */
interface Sequence {
  readonly req: SequenceRequest;
  readonly generated: number[];
  kvTokens: number;
  state: 'waiting' | 'prefilling' | 'running';
  /** Admission order; the newest running sequence is preempted first. */
  admittedAt: number;
}

const IDLE = { kind: 'idle' } as const;

/**
 * The step loop both workers drive (vLLM v1's shape: schedule → run → update). Continuous
 * batching: sequences join between steps as KV memory allows and leave when they finish. One call
 * to step() runs either one prefill chunk or one decode step over the running batch; when both are
 * pending they alternate, so a long prompt never stalls decoding for more than one chunk.
 * KV is allocated per token (bytes = tokens × kvBytesPerToken); when a decode step would exceed
 * capacity the newest running sequence is preempted and later recomputed from its tokens.
 *
 * `step()` is schedule → run on the StepRunner → update. A host that runs steps itself (the cluster
 * twin, which prices a step instead of computing it) calls the two halves: `beginStep()` schedules and
 * returns what to run, `completePrefill(logits)` / `completeDecode(logits)` apply the result. Between
 * them, `add` and `cancel` behave exactly as while `step()` awaits its runner.
 */
export class Engine {
  private readonly sequences = new Map<string, Sequence>();
  private readonly waiting: Sequence[] = [];
  /** Admitted (prefilling or running) sequences in admission order. */
  private readonly admittedSeqs: Sequence[] = [];
  /** Σ kvTokens over admittedSeqs. */
  private usedKvTokens = 0;
  private admissions = 0;
  private lastKind: 'prefill' | 'decode' | 'idle' = 'idle';
  /** The step begun and not yet completed. */
  private inFlight:
    | { readonly kind: 'prefill'; readonly seq: Sequence; readonly from: number; readonly to: number }
    | { readonly kind: 'decode'; readonly running: readonly Sequence[]; readonly outcome: StepOutcome }
    | undefined;

  /** The decode step's buffers when the host lets the engine reuse them (config.reuseStepArrays). */
  private readonly decodeBuffers: DecodeBuffers<Sequence> | undefined;

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
    this.decodeBuffers = config.reuseStepArrays === true ? makeDecodeBuffers<Sequence>() : undefined;
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
    // A migrated request's tokens generated elsewhere are its first generated tokens (resumedTokenIds).
    const seq: Sequence = {
      req,
      generated: [...resumed],
      kvTokens: req.numPresentTokens,
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
    let n = 0;
    for (const s of this.admittedSeqs) if (s.state === 'running') n++;
    return n;
  }

  get numWaiting(): number {
    let n = this.waiting.length;
    for (const s of this.admittedSeqs) if (s.state === 'prefilling') n++;
    return n;
  }

  /** KV bytes held by admitted sequences. */
  get kvBytesUsed(): number {
    return this.usedKvTokens * this.config.kvBytesPerToken;
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

  /** One step: schedule, run it on the StepRunner, apply its result. */
  async step(): Promise<StepOutcome> {
    const plan = this.beginStep();
    if (plan.kind === 'prefill') {
      const f = this.inFlight as Extract<Engine['inFlight'], { kind: 'prefill' }>;
      const logits = await this.runner.prefill(plan.seqId, tokensUpTo(f.seq, f.to), plan.fromToken);
      return this.completePrefill(logits);
    }
    if (plan.kind === 'decode') return this.completeDecode(await this.runner.decode(plan.batch));
    return IDLE;
  }

  /**
   * Schedules the next step (admission, then one prefill chunk or one decode step, preempting the newest
   * running sequences until a decode step's new KV fits) and returns what the runner must compute. A
   * prefill or decode must be completed (`completePrefill` / `completeDecode`) before the next beginStep.
   */
  beginStep(): PlannedStep {
    if (this.inFlight !== undefined) throw new Error('Engine.beginStep: the previous step is not completed');
    this.admit();
    let first: Sequence | undefined;
    let numRunning = 0;
    for (const s of this.admittedSeqs) {
      if (s.state === 'running') numRunning++;
      else if (first === undefined) first = s;
    }
    const preferDecode = this.lastKind === 'prefill' && numRunning > 0;
    if (first && !preferDecode) {
      this.lastKind = 'prefill';
      // A resumed (preempted) sequence recomputes everything but its pending last token.
      const from = first.kvTokens;
      const to = Math.min(prefillTarget(first), from + this.config.maxPrefillTokensPerStep);
      this.inFlight = { kind: 'prefill', seq: first, from, to };
      return { kind: 'prefill', seqId: first.req.seqId, fromToken: from, toToken: to };
    }
    if (numRunning > 0) {
      this.lastKind = 'decode';
      return this.beginDecode();
    }
    this.lastKind = 'idle';
    return IDLE;
  }

  /** Applies a begun prefill chunk's result (the last token's logits). */
  completePrefill(logits: Float32Array): StepOutcome {
    const f = this.inFlight;
    if (f?.kind !== 'prefill') throw new Error('Engine.completePrefill: no prefill step is in flight');
    this.inFlight = undefined;
    const { seq, from, to } = f;
    const outcome: StepOutcome = { kind: 'prefill', seqId: seq.req.seqId, numTokens: to - from, contextTokens: from };
    if (!this.sequences.has(seq.req.seqId)) return outcome;
    this.setKvTokens(seq, to);
    if (to === prefillTarget(seq)) {
      seq.state = 'running';
      if (seq.generated.length === 0) this.emitToken(seq, this.sample(logits, seq.req.sampling, seq.req.seqId, 0));
    }
    return outcome;
  }

  /** Applies a begun decode step's result (next-token logits per sequence of its batch, in order). */
  completeDecode(logits: readonly Float32Array[]): StepOutcome {
    const f = this.inFlight;
    if (f?.kind !== 'decode') throw new Error('Engine.completeDecode: no decode step is in flight');
    this.inFlight = undefined;
    const running = f.running;
    for (let i = 0; i < running.length; i++) {
      const seq = running[i] as Sequence;
      if (!this.sequences.has(seq.req.seqId)) continue;
      this.setKvTokens(seq, seq.kvTokens + 1);
      const next = this.sample(logits[i] as Float32Array, seq.req.sampling, seq.req.seqId, seq.generated.length);
      this.emitToken(seq, next);
    }
    return f.outcome;
  }

  private beginDecode(): PlannedStep {
    const buffers = this.decodeBuffers;
    const running: Sequence[] = buffers === undefined ? [] : buffers.running;
    // Written by index and cut to length only when it was longer (not emptied and pushed: an emptied array
    // drops its storage; and setting a length is a runtime call even when it does not change).
    let n = 0;
    for (const s of this.admittedSeqs) {
      if (s.state === 'running' && n < this.config.maxBatch) running[n++] = s;
    }
    if (running.length > n) running.length = n;
    // Each decode adds one KV token per sequence; preempt the newest until that fits.
    while (running.length > 0 && this.freeKvTokens() < running.length) {
      this.preempt(running.pop() as Sequence);
    }
    if (running.length === 0) return IDLE;
    if (buffers !== undefined) return this.fillDecodeBuffers(buffers);
    n = running.length;
    const contextTokens = new Array<number>(n);
    const batch = new Array<{ seqId: string; tokenId: number }>(n);
    const seqIds = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const s = running[i] as Sequence;
      contextTokens[i] = s.kvTokens;
      seqIds[i] = s.req.seqId;
      batch[i] = { seqId: s.req.seqId, tokenId: lastToken(s) };
    }
    const outcome: StepOutcome = { kind: 'decode', seqIds, contextTokens };
    this.inFlight = { kind: 'decode', running, outcome };
    return { kind: 'decode', batch, contextTokens };
  }

  /** beginDecode's plan written into the reused buffers (config.reuseStepArrays): the same values, no allocation. */
  private fillDecodeBuffers(b: DecodeBuffers<Sequence>): PlannedStep {
    const { running, contextTokens, seqIds, batch, entries } = b;
    const n = running.length;
    // The three arrays always have one length: cut when the batch shrank; a longer batch appends below.
    if (batch.length > n) {
      contextTokens.length = n;
      seqIds.length = n;
      batch.length = n;
    }
    for (let i = 0; i < n; i++) {
      const s = running[i] as Sequence;
      contextTokens[i] = s.kvTokens;
      seqIds[i] = s.req.seqId;
      let e = entries[i];
      if (e === undefined) {
        e = { seqId: '', tokenId: 0 };
        entries.push(e);
      }
      e.seqId = s.req.seqId;
      e.tokenId = lastToken(s);
      batch[i] = e;
    }
    this.inFlight = b.inFlight;
    return b.plan;
  }

  private freeKvTokens(): number {
    return Math.floor(this.config.kvBytesCapacity / this.config.kvBytesPerToken) - this.usedKvTokens;
  }

  /** FIFO admission while a batch slot and KV for the whole current context (+1) are free. */
  private admit(): void {
    while (this.waiting.length > 0) {
      const seq = this.waiting[0] as Sequence;
      if (this.admittedSeqs.length >= this.config.maxBatch) return;
      const needTokens = numTokens(seq) + 1 - seq.kvTokens;
      if (needTokens > this.freeKvTokens()) return;
      this.waiting.shift();
      seq.admittedAt = ++this.admissions;
      this.admittedSeqs.push(seq);
      this.usedKvTokens += seq.kvTokens;
      const promptDone = seq.kvTokens >= numTokens(seq);
      if (promptDone && seq.req.firstTokenId !== undefined && seq.generated.length === 0) {
        seq.state = 'running';
        this.emitToken(seq, seq.req.firstTokenId);
      } else if (seq.generated.length > 0 && seq.kvTokens >= numTokens(seq) - 1) {
        seq.state = 'running';
      } else {
        seq.state = 'prefilling';
      }
    }
  }

  private setKvTokens(seq: Sequence, kvTokens: number): void {
    if (seq.state !== 'waiting') this.usedKvTokens += kvTokens - seq.kvTokens;
    seq.kvTokens = kvTokens;
  }

  private unadmit(seq: Sequence): void {
    if (seq.state === 'waiting') return;
    const i = this.admittedSeqs.indexOf(seq);
    if (i >= 0) this.admittedSeqs.splice(i, 1);
    this.usedKvTokens -= seq.kvTokens;
  }

  private emitToken(seq: Sequence, tokenId: number): void {
    seq.generated.push(tokenId);
    const n = seq.generated.length;
    this.events.onToken(seq.req.seqId, tokenId, n - 1);
    if (seq.req.stopTokenIds.includes(tokenId)) this.finish(seq, 'stop');
    else if (n >= seq.req.maxTokens) this.finish(seq, 'length');
  }

  private preempt(seq: Sequence): void {
    const dropped = seq.kvTokens;
    this.runner.release(seq.req.seqId);
    this.unadmit(seq);
    seq.kvTokens = 0;
    seq.state = 'waiting';
    this.waiting.unshift(seq);
    this.events.onPreempt?.(seq.req.seqId, dropped);
  }

  private finish(seq: Sequence, reason: FinishReason): void {
    this.sequences.delete(seq.req.seqId);
    const idx = this.waiting.indexOf(seq);
    if (idx >= 0) this.waiting.splice(idx, 1);
    this.unadmit(seq);
    this.runner.release(seq.req.seqId);
    this.events.onFinish(seq.req.seqId, reason, seq.generated.length);
  }
}

/** Prompt + generated tokens. */
function numTokens(seq: Sequence): number {
  return seq.req.promptTokenIds.length + seq.generated.length;
}

function lastToken(seq: Sequence): number {
  const g = seq.generated;
  return (g.length > 0 ? g[g.length - 1] : seq.req.promptTokenIds[seq.req.promptTokenIds.length - 1]) as number;
}

/** The first `to` tokens of prompt + generated (what a prefill chunk up to `to` is given). */
function tokensUpTo(seq: Sequence, to: number): number[] {
  const prompt = seq.req.promptTokenIds;
  if (to <= prompt.length) return prompt.slice(0, to);
  return [...prompt, ...seq.generated.slice(0, to - prompt.length)];
}

/** Tokens whose KV a non-running sequence needs before it can decode: the whole prompt, or for a
 * preempted sequence everything but its pending last token. */
function prefillTarget(seq: Sequence): number {
  return seq.generated.length > 0 ? numTokens(seq) - 1 : numTokens(seq);
}
