import { appendChunkGaps } from '@oicf/metrics';
import type { ReplayRequestRecord, RoutingInfo } from '@oicf/report';
import type { TraceRequest } from '@oicf/traces';
import type { TargetEvent, TargetUsage } from './target.js';

/** Codes of the router's overloaded refusals (HTTP 503 + Retry-After, @oicf/sched rejectClass). */
const OVERLOAD_CODES: ReadonlySet<string> = new Set(['capacity', 'no-worker', 'queue-full', 'queue-time']);

/**
 * Folds one request's target events into its record. All times are seconds since the replay
 * started (the driver converts event times before adding them).
 *
 *   sent ──ttft──▶ first token ─gap─▶ token ─gap─▶ … ─▶ final (end of stream)
 *   |◀──────────────────────── e2e ──────────────────────────────▶|
 *   TPOT = (e2e − TTFT) ÷ (output tokens − 1)   (vLLM's definition; none for a single token)
 */
/** The OpenAI error code for a prompt + max_tokens longer than the model's context (the router's too). */
export const CONTEXT_LENGTH_EXCEEDED = 'context_length_exceeded';

export class RecordBuilder {
  private firstTokenSeconds: number | null = null;
  private lastTokenSeconds: number | null = null;
  private readonly gaps: number[] = [];
  private numCountedTokens = 0;
  private finalEvent: Extract<TargetEvent, { kind: 'final' }> | null = null;
  private errorEvent: Extract<TargetEvent, { kind: 'error' }> | null = null;

  constructor(
    private readonly request: TraceRequest,
    private readonly numOutputTokensRequested: number,
    private readonly scheduledSeconds: number,
    private readonly sentSeconds: number | null,
    private readonly slotWaitSeconds: number,
  ) {}

  /** Adds an event (its atSeconds already relative to the replay start). Events after the end are ignored. */
  add(event: TargetEvent): void {
    if (this.finalEvent !== null || this.errorEvent !== null) return;
    if (event.kind === 'token') {
      if (this.firstTokenSeconds === null) this.firstTokenSeconds = event.atSeconds;
      appendChunkGaps(this.gaps, this.lastTokenSeconds, event.atSeconds, event.numTokens);
      this.lastTokenSeconds = event.atSeconds;
      this.numCountedTokens += event.numTokens;
    } else if (event.kind === 'final') this.finalEvent = event;
    else this.errorEvent = event;
  }

  /**
   * The record: `ok` after a final event, `rejected` after an HTTP 429 (its reason the router's), an admission
   * 503 (overloaded, docs/reliability.md) or a request the cluster's context cannot hold (HTTP 400
   * `context_length_exceeded`: reason `context`), `error` after any other error or a stream that ended without
   * either, `cancelled` when the run was aborted first.
   */
  finish(nowSeconds: number, aborted: boolean): ReplayRequestRecord {
    const sent = this.sentSeconds;
    const usage: TargetUsage | null = this.finalEvent?.usage ?? null;
    const routing: RoutingInfo | null = this.finalEvent?.routing ?? null;
    const numOutputTokens = usage?.completionTokens ?? this.numCountedTokens;
    const ttft = sent !== null && this.firstTokenSeconds !== null ? this.firstTokenSeconds - sent : null;
    const endSeconds = this.finalEvent?.atSeconds ?? this.errorEvent?.atSeconds ?? null;
    const e2e = sent !== null && this.finalEvent !== null ? this.finalEvent.atSeconds - sent : null;
    const tpot = ttft !== null && e2e !== null && numOutputTokens >= 2 ? (e2e - ttft) / (numOutputTokens - 1) : null;
    let status: ReplayRequestRecord['status'];
    let httpStatus: number | null = null;
    let errorCode: string | null = null;
    let errorMessage: string | null = null;
    if (this.errorEvent !== null) {
      httpStatus = this.errorEvent.httpStatus;
      const overflow = httpStatus === 400 && this.errorEvent.code === CONTEXT_LENGTH_EXCEEDED;
      // A refusal is 429 (rate-limited), 503 with an admission reason (overloaded) or a context overflow.
      const overloaded = httpStatus === 503 && OVERLOAD_CODES.has(this.errorEvent.code);
      status = httpStatus === 429 || overloaded || overflow ? 'rejected' : 'error';
      errorCode = overflow ? 'context' : this.errorEvent.code;
      errorMessage = this.errorEvent.message;
    } else if (this.finalEvent !== null) {
      status = 'ok';
      httpStatus = 200;
    } else if (aborted) {
      status = 'cancelled';
    } else {
      status = 'error';
      errorCode = 'no-response';
      errorMessage = 'the target ended the request without a final or error event';
    }
    return {
      requestId: this.request.requestId,
      sessionId: this.request.sessionId ?? null,
      turnIndex: this.request.turnIndex ?? null,
      scheduledSeconds: this.scheduledSeconds,
      sentSeconds: sent,
      slotWaitSeconds: this.slotWaitSeconds,
      numInputTokens: this.request.inputTokens,
      numOutputTokensRequested: this.numOutputTokensRequested,
      numOutputTokens,
      numCachedTokens: usage?.cachedTokens ?? routing?.numCachedTokens ?? null,
      ttftSeconds: status === 'ok' ? ttft : null,
      interTokenSeconds: this.gaps,
      tpotSeconds: status === 'ok' ? tpot : null,
      e2eSeconds: status === 'ok' ? e2e : null,
      finishedSeconds: endSeconds ?? nowSeconds,
      status,
      httpStatus,
      errorCode,
      errorMessage,
      routing,
    };
  }
}
