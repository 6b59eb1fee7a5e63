// Token ids → text deltas for a stream. Tokens are UTF-8 bytes, and a multi-byte character can be split
// across decode steps (or between the prefill's first token and the decode stream); a delta must never
// end inside a character, so incomplete trailing bytes are held back until the rest arrives. Specials
// (BOS/EOS/PAD) produce no text. At the end a dangling partial character is flushed as U+FFFD.
import { StreamDecoder } from '@oicf/tokenizer';

export class TextRelay {
  private readonly decoder = new StreamDecoder();
  private text = '';

  /** The text completed by these ids ('' while a character is still incomplete). */
  push(tokenIds: readonly number[]): string {
    const delta = this.decoder.push(tokenIds);
    this.text += delta;
    return delta;
  }

  /** Flushes held-back bytes (U+FFFD for an unfinished character); '' when nothing was held. */
  end(): string {
    const delta = this.decoder.end();
    this.text += delta;
    return delta;
  }

  /** Everything emitted so far. */
  fullText(): string {
    return this.text;
  }
}
