// The tokens a request relays to its client: the running text (UTF-8 held back across chunk boundaries,
// stop strings cut by the relay), every generated id, and when each batch went out (for TTFT and
// inter-token gaps). Once a stop string completes, the output ends at the token that completed it.
import type { Clock } from '@oicf/transport';
import type { LogprobEntry } from '../core/logprob-format.js';
import { interTokenGaps } from '../core/request-summary.js';
import { TextRelay } from '../core/text-relay.js';
import type { TokensEvent } from './types.js';

export class TokenEmitter {
  private readonly relay: TextRelay;
  /** Every generated token id, in order. */
  readonly generated: number[] = [];
  private readonly emissions: Array<{ atSeconds: number; numTokens: number }> = [];

  /** `stop`: the request's stop strings ([] = none). */
  constructor(
    private readonly clock: Clock,
    stop: readonly string[] = [],
  ) {
    this.relay = new TextRelay(stop);
  }

  /**
   * The event relaying `ids` (with their `logprobs`, when asked for) now; the first one is the first token:
   * TTFT is measured there. After a stop string only the ids up to the one completing it are relayed.
   */
  emit(ids: readonly number[], logprobs?: readonly LogprobEntry[]): TokensEvent {
    const atSeconds = this.clock.nowSeconds();
    const step = this.relay.pushTokens(ids);
    const kept = step.numTokens === ids.length ? ids : ids.slice(0, step.numTokens);
    for (const id of kept) this.generated.push(id);
    this.emissions.push({ atSeconds, numTokens: kept.length });
    const event: TokensEvent = {
      kind: 'tokens',
      tokenIds: kept,
      text: step.text,
      first: this.emissions.length === 1,
      atSeconds,
    };
    return logprobs === undefined || logprobs.length === 0
      ? event
      : { ...event, logprobs: logprobs.slice(0, kept.length) };
  }

  /** A stop string ended the output: relay nothing more, and stop the decode worker. */
  get stopped(): boolean {
    return this.relay.stopped;
  }

  /** When the first token went out (router clock); only after one did. */
  get firstTokenSeconds(): number {
    return (this.emissions[0] as { atSeconds: number }).atSeconds;
  }

  /** Inter-token gaps of the whole series, per token. */
  interTokenSeconds(): number[] {
    return interTokenGaps(this.emissions);
  }

  /** Held-back text flushed at the end. */
  endText(): string {
    return this.relay.end();
  }
}
