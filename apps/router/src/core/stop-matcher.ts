// Stop strings (OpenAI/vLLM `stop`) found in a stream of decoded text. Text arrives in arbitrary pieces
// (a decode step's token, a multi-byte character completed across steps), so a stop string can span
// pieces; the matcher therefore holds back the longest tail of the unreleased text that is still the
// beginning of some stop string, and releases it only once it cannot be:
//
//   released ──────────────┬──────── held (a prefix of a stop string)
//   "The answer is 42.\n\nU"│"se"      stop "User:" → held until the next piece decides
//
// On a match, the text before the stop string is released and the rest (the stop string and anything
// after it in the same piece) is discarded: the output never includes the stop string (as vLLM by
// default). Pure; strings compare by UTF-16 code units, which is exact because the decoder only ever
// hands over whole characters.

export interface StopStep {
  /** Text that can go to the client now. */
  readonly text: string;
  /** A stop string completed in this piece: the output ends after `text`. */
  readonly stopped: boolean;
}

export class StopMatcher {
  private held = '';
  private done = false;
  private readonly longest: number;

  /** `stops`: non-empty strings (the caller validates); none = a pass-through. */
  constructor(private readonly stops: readonly string[]) {
    this.longest = stops.reduce((m, s) => Math.max(m, s.length), 0);
  }

  get stopped(): boolean {
    return this.done;
  }

  /** Feeds the next piece of text. After a match every further piece yields ''. */
  push(piece: string): StopStep {
    if (this.done) return { text: '', stopped: true };
    if (this.stops.length === 0) return { text: piece, stopped: false };
    const text = this.held + piece;
    let at = -1;
    for (const s of this.stops) {
      const i = text.indexOf(s);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    }
    if (at >= 0) {
      this.done = true;
      this.held = '';
      return { text: text.slice(0, at), stopped: true };
    }
    const keep = this.heldTail(text);
    this.held = text.slice(text.length - keep);
    return { text: text.slice(0, text.length - keep), stopped: false };
  }

  /** The end of the stream without a match: whatever was held back is plain output. */
  end(): string {
    const rest = this.done ? '' : this.held;
    this.held = '';
    return rest;
  }

  /** Length of the longest suffix of `text` that is a proper prefix of some stop string. */
  private heldTail(text: string): number {
    for (let n = Math.min(text.length, this.longest - 1); n > 0; n--) {
      const tail = text.slice(text.length - n);
      if (this.stops.some((s) => s.length > n && s.startsWith(tail))) return n;
    }
    return 0;
  }
}
