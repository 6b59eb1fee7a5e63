/**
 * Byte-level tokenizer: token ids 0–255 are the UTF-8 bytes of the text, so any string round-
 * trips exactly; three specials follow. Vocabulary 259, the tiny models' vocabSize.
 */
export const BOS_ID = 256;
export const EOS_ID = 257;
export const PAD_ID = 258;
export const BYTE_VOCAB_SIZE = 259;

export interface EncodeOptions {
  /** Prepend BOS (default false). */
  readonly bos?: boolean;
  /** Append EOS (default false). */
  readonly eos?: boolean;
}

const encoder = new TextEncoder();

export function isSpecialToken(id: number): boolean {
  return id === BOS_ID || id === EOS_ID || id === PAD_ID;
}

/** Text → token ids (its UTF-8 bytes, optionally wrapped in BOS/EOS). */
export function encode(text: string, opts: EncodeOptions = {}): number[] {
  const bytes = encoder.encode(text);
  const ids: number[] = [];
  if (opts.bos) ids.push(BOS_ID);
  for (const b of bytes) ids.push(b);
  if (opts.eos) ids.push(EOS_ID);
  return ids;
}

/**
 * Token ids → text. Specials are dropped; byte sequences that are not valid UTF-8 (a model can
 * emit any bytes) decode to U+FFFD. Throws for ids outside the vocabulary, naming the index.
 */
export function decode(ids: readonly number[]): string {
  return new TextDecoder().decode(toBytes(ids));
}

function toBytes(ids: readonly number[]): Uint8Array {
  const bytes: number[] = [];
  ids.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= BYTE_VOCAB_SIZE) {
      throw new RangeError(`token ids[${i}] = ${id} is outside the byte vocabulary [0, ${BYTE_VOCAB_SIZE})`);
    }
    if (id < 256) bytes.push(id);
  });
  return Uint8Array.from(bytes);
}

/**
 * Incremental decoding for streamed tokens: a multi-byte character split across tokens is held
 * back until it completes, so each `push` returns only whole characters.
 */
export class StreamDecoder {
  /** Made on the first id that is not ASCII (a TextDecoder is costly to make, and ASCII needs none). */
  private decoder: InstanceType<typeof TextDecoder> | undefined;
  /**
   * The decoder may hold the first bytes of an unfinished character: the last byte it was given was not
   * ASCII. While it holds none, ids that are all ASCII bytes or specials decode without it (same text).
   */
  private mayHold = false;

  /** Text was already returned (by the ASCII path) before the decoder was made. */
  private emitted = false;

  /** Decodes more ids; returns the text they complete. */
  push(ids: readonly number[]): string {
    if (!this.mayHold) {
      const ascii = asciiText(ids);
      if (ascii !== undefined) {
        if (ascii !== '') this.emitted = true;
        return ascii;
      }
    }
    const bytes = toBytes(ids);
    if (bytes.length > 0) this.mayHold = (bytes[bytes.length - 1] as number) >= 0x80;
    // A decoder made mid-stream must not take a U+FEFF after text as a byte-order mark (a fresh one strips a
    // leading BOM): the stream reads as one decoder made at its start would, and as decode() does.
    this.decoder ??= new TextDecoder('utf-8', { ignoreBOM: this.emitted });
    this.emitted = true;
    return this.decoder.decode(bytes, { stream: true });
  }

  /** Flushes a dangling partial character (as U+FFFD). */
  end(): string {
    this.mayHold = false;
    return this.decoder === undefined ? '' : this.decoder.decode();
  }
}

/** The text of ids that are all ASCII bytes or specials (dropped); undefined for any other id. */
function asciiText(ids: readonly number[]): string | undefined {
  let text = '';
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id >= 0 && id < 0x80 && Number.isInteger(id)) text += String.fromCharCode(id);
    else if (!isSpecialToken(id)) return undefined;
  }
  return text;
}
