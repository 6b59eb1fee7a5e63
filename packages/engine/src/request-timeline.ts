/**
 * The times of one Decode call on the worker's clock (seconds) and what they mean, for DecodeTimings
 * (decode.proto) and the vLLM anchor histograms the decode worker exports (the cluster twin, @oicf/sim,
 * reports its simulated Decode calls with the same rule):
 *
 *   t0 call ─ kvGathered ─ first step starts ─ first token out ─ … tokens … ─ finish
 *   kvReceive = kvGathered − t0      queue = first step start − kvGathered (waiting for the batch)
 *   prefill   = the first step, when this worker prefilled (local prefill); 0 after a remote prefill
 *   decode    = finish − first token ttft = first token − t0 (this worker's view)   e2e = finish − t0
 *
 * The first step's start is its end minus its duration (the step time the loop reports, pacing included).
 */
export interface RequestTimes {
  readonly kvReceiveSeconds: number;
  readonly queueSeconds: number;
  readonly prefillSeconds: number;
  readonly decodeSeconds: number;
  readonly ttftSeconds: number;
  readonly e2eSeconds: number;
}

export class RequestTimeline {
  private kvAt: number | undefined;
  private firstAt: number | undefined;
  private firstStepSeconds = 0;
  private lastEmitAt: number | undefined;

  /** `localPrefill`: this worker computes the prompt (no handoff), so its first step is the prefill. */
  constructor(
    private readonly startSeconds: number,
    private readonly localPrefill: boolean,
  ) {}

  kvGathered(nowSeconds: number): void {
    this.kvAt = nowSeconds;
  }

  /**
   * A step produced tokens at `nowSeconds` after `stepSeconds` of work. Returns the gap since the previous
   * emission (an inter-token latency), or undefined for the first one.
   */
  tokens(nowSeconds: number, stepSeconds: number): number | undefined {
    const previous = this.lastEmitAt;
    this.lastEmitAt = nowSeconds;
    if (this.firstAt === undefined) {
      this.firstAt = nowSeconds;
      this.firstStepSeconds = stepSeconds;
      return undefined;
    }
    return previous === undefined ? undefined : nowSeconds - previous;
  }

  finish(nowSeconds: number): RequestTimes {
    const kvAt = this.kvAt ?? this.startSeconds;
    const firstAt = this.firstAt ?? nowSeconds;
    const firstStepStart = Math.max(kvAt, firstAt - this.firstStepSeconds);
    return {
      kvReceiveSeconds: kvAt - this.startSeconds,
      queueSeconds: firstStepStart - kvAt,
      prefillSeconds: this.localPrefill && this.firstAt !== undefined ? firstAt - firstStepStart : 0,
      decodeSeconds: nowSeconds - firstAt,
      ttftSeconds: firstAt - this.startSeconds,
      e2eSeconds: nowSeconds - this.startSeconds,
    };
  }
}
