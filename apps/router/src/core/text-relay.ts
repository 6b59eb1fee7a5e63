// Token ids → text deltas for a stream. Tokens are UTF-8 bytes, and a multi-byte character can be split
// across decode steps (or between the prefill's first token and the decode stream); a delta must never
// end inside a character, so incomplete trailing bytes are held back until the rest arrives. Specials
// (BOS/EOS/PAD) produce no text. At the end a dangling partial character is flushed as U+FFFD.
//
// With stop strings the decoded text also goes through a StopMatcher, token by token, so the relay knows
// which token completed a stop string: `numTokens` of a step counts the tokens up to and including it
// (the request's output ends there: later tokens are neither relayed nor counted).
import { StreamDecoder } from '@oicf/tokenizer';
import { StopMatcher } from './stop-matcher.js';

export interface RelayStep {
  /** Text completed by the consumed tokens, minus any stop string and what follows it. */
  readonly text: string;
  /** Tokens of this push that belong to the output (all of them unless a stop string completed). */
  readonly numTokens: number;
  /** A stop string completed within this push. */
  readonly stopped: boolean;
}

export class TextRelay {
  private readonly decoder = new StreamDecoder();
  private readonly matcher: StopMatcher;
  private readonly hasStops: boolean;
  private text = '';

  constructor(stop: readonly string[] = []) {
    this.matcher = new StopMatcher(stop);
    this.hasStops = stop.length > 0;
  }

  /** The text completed by these ids ('' while a character is still incomplete). */
  push(tokenIds: readonly number[]): string {
    return this.pushTokens(tokenIds).text;
  }

  /** Consumes ids until the end or a completed stop string (after a stop: nothing more is consumed). */
  pushTokens(tokenIds: readonly number[]): RelayStep {
    if (this.matcher.stopped) return { text: '', numTokens: 0, stopped: true };
    if (!this.hasStops) {
      const delta = this.decoder.push(tokenIds);
      this.text += delta;
      return { text: delta, numTokens: tokenIds.length, stopped: false };
    }
    let out = '';
    for (let i = 0; i < tokenIds.length; i++) {
      const step = this.matcher.push(this.decoder.push([tokenIds[i] as number]));
      out += step.text;
      if (step.stopped) {
        this.text += out;
        return { text: out, numTokens: i + 1, stopped: true };
      }
    }
    this.text += out;
    return { text: out, numTokens: tokenIds.length, stopped: false };
  }

  /** A stop string has ended the output. */
  get stopped(): boolean {
    return this.matcher.stopped;
  }

  /** Flushes held-back bytes (U+FFFD for an unfinished character) and held-back stop prefixes. */
  end(): string {
    if (this.matcher.stopped) return '';
    const tail = this.matcher.push(this.decoder.end());
    const delta = tail.text + (tail.stopped ? '' : this.matcher.end());
    this.text += delta;
    return delta;
  }

  /** Everything emitted so far. */
  fullText(): string {
    return this.text;
  }
}
