// One Decode on a request channel, as the router relays it: the channel hands it this request's outputs
// (its share of each `decode.step` frame); the relay keeps the tokens not yet taken, in order, and wakes the
// request's generator. Outputs that arrive while the generator is busy are merged, so a client gets one
// event per event-loop turn however many steps arrived in it.
//
// Exactly-once tokens: every output carries the generation index of its first token. The relay expects
// index `next` (1 after a remote prefill: index 0 came from the prefill worker); tokens below it were
// relayed already and are dropped, a gap above it fails the request. A stream resumed on another worker
// (failover) can therefore replay from any index without duplicating or losing a token. Token logprobs
// (when the request asked for them) travel in the same outputs, one per token id, and are kept or dropped
// with their ids.
import type { SequenceOutput__Output, TokenChunk__Output, TokenLogprob__Output } from '@oicf/proto';
import { type Frame, fromErrorDetail, OicfError } from '@oicf/transport';
import type { RouterCall } from './worker-calls.js';

export class DecodeRelay implements RouterCall {
  lastFrameMs = 0;
  /** The last output (finish_reason set), once it arrived. */
  final: TokenChunk__Output | undefined;
  /** The failure, once one happened (the relay takes no more tokens after it). */
  error: OicfError | undefined;
  /** `emitted_after_seconds` of the first output (the worker's time to its first chunk). */
  firstChunkAfterSeconds = 0;
  /** The worker is done with this call (last output, an error from it, a closed channel, the idle cancel). */
  settled = false;
  private sawOutput = false;
  private pending: number[] = [];
  /** Logprobs of `pending`, one per id, once an output carried any (else empty). */
  private pendingLogprobs: TokenLogprob__Output[] = [];
  private wake: (() => void) | undefined;

  constructor(
    readonly id: string,
    /** Generation index of the next token expected. */
    private next: number,
    readonly idleTimeoutMs: number,
    /** The first output arrived: the worker has the prompt's KV. */
    private readonly onFirstOutput: () => void,
    /**
     * The last output arrived: the worker is done with the sequence (its KV is freed), whether or not the
     * client has taken every token yet (a slow reader's tokens wait here).
     */
    private readonly onLastOutput: () => void,
    /** The error of the idle limit, given what was awaited ("first chunk" or "chunk"). */
    private readonly idleError: (awaited: string) => OicfError,
  ) {}

  /** Generation index of the next token expected (= tokens relayed so far, counting a prefill's first). */
  get numRelayed(): number {
    return this.next;
  }

  onOutput(output: SequenceOutput__Output): void {
    const chunk = output.chunk;
    if (chunk === null || this.error !== undefined || this.final !== undefined) return;
    if (!this.sawOutput) {
      this.sawOutput = true;
      this.firstChunkAfterSeconds = chunk.emittedAfterSeconds;
      this.onFirstOutput();
    }
    if (chunk.finishReason === 'FINISH_REASON_ERROR') {
      this.settled = true;
      this.fail(fromErrorDetail(chunk.error ?? { code: 'INTERNAL', message: 'no error detail' }));
      return;
    }
    const at = output.firstTokenIndex;
    const ids = chunk.tokenIds;
    if (at > this.next) {
      this.fail(
        new OicfError(
          'INTERNAL',
          `tokens ${this.next}–${at - 1} of request ${this.id} never arrived (next came at ${at})`,
        ),
      );
      return;
    }
    for (let i = this.next - at; i < ids.length; i++) this.pending.push(ids[i] as number);
    const logprobs = chunk.logprobs;
    if (logprobs.length > 0) {
      for (let i = this.next - at; i < logprobs.length; i++)
        this.pendingLogprobs.push(logprobs[i] as TokenLogprob__Output);
    }
    if (at + ids.length > this.next) this.next = at + ids.length;
    if (chunk.finishReason !== 'FINISH_REASON_UNSPECIFIED') {
      this.final = chunk;
      this.settled = true;
      this.onLastOutput();
    }
    this.wake?.();
  }

  onFrame(frame: Frame): void {
    // Before its first output a decode can only fail: validation, a full batch, a lost KV handoff.
    this.settled = frame.kind === 'error';
    if (frame.kind === 'error') this.fail(fromErrorDetail(frame.body));
    else this.fail(new OicfError('INTERNAL', `unexpected ${frame.kind} frame for decode ${this.id}`));
  }

  onClosed(error: OicfError): void {
    this.settled = true;
    this.fail(error);
  }

  onIdle(): void {
    this.settled = true; // the channel has sent the cancel
    this.fail(this.idleError(this.sawOutput ? 'chunk' : 'first chunk'));
  }

  fail(error: OicfError): void {
    this.error ??= error;
    this.wake?.();
  }

  /** Undefined when tokens, the end or a failure are ready; else a promise of the next of them. */
  waiting(): Promise<void> | undefined {
    if (this.pending.length > 0 || this.final !== undefined || this.error !== undefined) return undefined;
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** True while tokens received are not taken yet. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** The first `max` (at most) tokens received and not yet taken, in order (and forgets them). */
  take(max: number): number[] {
    if (this.pending.length <= max) {
      const ids = this.pending;
      this.pending = [];
      return ids;
    }
    return this.pending.splice(0, max);
  }

  /**
   * The logprobs of the `count` tokens take() just returned, one per id (undefined when none came), and
   * forgets them.
   */
  takeLogprobs(count: number): TokenLogprob__Output[] | undefined {
    if (this.pendingLogprobs.length === 0) return undefined;
    if (this.pendingLogprobs.length <= count) {
      const logprobs = this.pendingLogprobs;
      this.pendingLogprobs = [];
      return logprobs;
    }
    return this.pendingLogprobs.splice(0, count);
  }
}
