// Token log-probabilities in OpenAI's two shapes: chat (`logprobs.content[]` of {token, logprob, bytes,
// top_logprobs}) and legacy completions ({tokens, token_logprobs, top_logprobs[{token: logprob}],
// text_offset}). Tokens are bytes: an ASCII byte is its character, any other byte `\xNN` (with `bytes`
// giving the raw byte, as OpenAI does for tokens that are not whole characters), a special token its tag
// (`<|eos|>`). `text_offset` is the position in the generated text (UTF-16 units, as JS and OpenAI's
// examples count) where the token's character starts: a byte that does not complete a character adds
// nothing, so the bytes of one character share its offset. −∞ is sent as −9999.0, as OpenAI does.
import { BOS_ID, EOS_ID, PAD_ID, StreamDecoder } from '@oicf/tokenizer';

/** One sampled token's log-probability and its top alternatives (the proto TokenLogprob, structurally). */
export interface LogprobEntry {
  readonly tokenId: number;
  readonly logprob: number;
  readonly topLogprobs: readonly { readonly tokenId: number; readonly logprob: number }[];
}

const SPECIAL: Record<number, string> = { [BOS_ID]: '<|bos|>', [EOS_ID]: '<|eos|>', [PAD_ID]: '<|pad|>' };

export function tokenString(id: number): string {
  if (id < 0x80) return String.fromCharCode(id);
  if (id < 0x100) return `\\x${id.toString(16).padStart(2, '0')}`;
  return SPECIAL[id] ?? `<|${id}|>`;
}

export function tokenBytes(id: number): number[] | null {
  return id < 0x100 ? [id] : null;
}

const finite = (lp: number) => (Number.isFinite(lp) ? lp : -9999);

export interface ChatLogprobs {
  content: Array<{
    token: string;
    logprob: number;
    bytes: number[] | null;
    top_logprobs: Array<{ token: string; logprob: number; bytes: number[] | null }>;
  }>;
  refusal: null;
}

export function chatLogprobs(entries: readonly LogprobEntry[]): ChatLogprobs {
  return {
    content: entries.map((e) => ({
      token: tokenString(e.tokenId),
      logprob: finite(e.logprob),
      bytes: tokenBytes(e.tokenId),
      top_logprobs: e.topLogprobs.map((t) => ({
        token: tokenString(t.tokenId),
        logprob: finite(t.logprob),
        bytes: tokenBytes(t.tokenId),
      })),
    })),
    refusal: null,
  };
}

export interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: number[];
  top_logprobs: Array<Record<string, number>>;
  text_offset: number[];
}

/** Completions-shape logprobs of one choice; keeps the running text offset across streamed chunks. */
export class CompletionLogprobFormatter {
  private readonly decoder = new StreamDecoder();
  private offset = 0;

  format(entries: readonly LogprobEntry[]): CompletionLogprobs {
    const out: CompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
    for (const e of entries) {
      out.tokens.push(tokenString(e.tokenId));
      out.token_logprobs.push(finite(e.logprob));
      out.top_logprobs.push(Object.fromEntries(e.topLogprobs.map((t) => [tokenString(t.tokenId), finite(t.logprob)])));
      out.text_offset.push(this.offset);
      this.offset += this.decoder.push([e.tokenId]).length;
    }
    return out;
  }
}
