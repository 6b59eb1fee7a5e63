// The tokens a request relays to its client: the running text (UTF-8 held back across chunk boundaries),
// every generated id, and when each batch went out (for TTFT and inter-token gaps).
import type { Clock } from '@oicf/transport';
import { interTokenGaps } from '../core/request-summary.js';
import { TextRelay } from '../core/text-relay.js';
import type { TokensEvent } from './types.js';

export class TokenEmitter {
  private readonly relay = new TextRelay();
  /** Every generated token id, in order. */
  readonly generated: number[] = [];
  private readonly emissions: Array<{ atSeconds: number; numTokens: number }> = [];

  constructor(private readonly clock: Clock) {}

  /** The event relaying `ids` now (the first one is the first token: TTFT is measured there). */
  emit(ids: readonly number[]): TokensEvent {
    const atSeconds = this.clock.nowSeconds();
    for (const id of ids) this.generated.push(id);
    this.emissions.push({ atSeconds, numTokens: ids.length });
    return { kind: 'tokens', tokenIds: ids, text: this.relay.push(ids), first: this.emissions.length === 1, atSeconds };
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
