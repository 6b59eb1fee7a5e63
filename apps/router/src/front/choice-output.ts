// What a response has produced so far for each of its choices: text, log-probabilities in the API's shape
// (chat or completions), whether its first delta (chat: with the role) went out, and its `done` event.
// `summary` turns the finished choices into the response's usage and `oicf` body: prompt tokens counted
// once (the choices share the prompt, as OpenAI and vLLM count n > 1), completion tokens summed, cached
// tokens the least any choice had (so "cached" holds for every choice); `oicf` is choice 0's info plus
// every choice's when n > 1.
import {
  type ChatLogprobs,
  CompletionLogprobFormatter,
  type CompletionLogprobs,
  chatLogprobs,
  type LogprobEntry,
} from '../core/logprob-format.js';
import { type ApiKind, type ChoiceResult, type OicfBody, type UsageBody, usageBody } from '../core/openai-format.js';
import type { DoneEvent } from '../pipeline/types.js';

class ChoiceState {
  text = '';
  sentFirst = false;
  done: DoneEvent | undefined;
  /** The completions API's formatter, made on the first logprobs (most requests ask for none). */
  private completion: CompletionLogprobFormatter | undefined;
  private chat: ChatLogprobs | undefined;
  private whole: CompletionLogprobs | undefined;

  constructor(private readonly kind: ApiKind) {}

  /** The delta's logprobs in the API's shape (kept for the whole reply too); undefined without any. */
  logprobs(entries: readonly LogprobEntry[] | undefined): unknown {
    if (entries === undefined) return undefined;
    if (this.kind === 'completion') {
      this.completion ??= new CompletionLogprobFormatter();
      const part = this.completion.format(entries);
      if (this.whole === undefined) this.whole = part;
      else {
        this.whole.tokens.push(...part.tokens);
        this.whole.token_logprobs.push(...part.token_logprobs);
        this.whole.top_logprobs.push(...part.top_logprobs);
        this.whole.text_offset.push(...part.text_offset);
      }
      return part;
    }
    const part = chatLogprobs(entries);
    if (this.chat === undefined) this.chat = { content: [...part.content], refusal: null };
    else this.chat.content.push(...part.content);
    return part;
  }

  /** All of the choice's logprobs, or null when it asked for none. */
  allLogprobs(): unknown {
    return this.kind === 'completion' ? (this.whole ?? null) : (this.chat ?? null);
  }
}

export class ChoiceOutputs {
  private readonly choices: ChoiceState[];

  constructor(
    kind: ApiKind,
    n: number,
    private readonly wantsLogprobs: boolean,
  ) {
    this.choices = [];
    for (let i = 0; i < n; i++) this.choices.push(new ChoiceState(kind));
  }

  at(index: number): ChoiceState {
    return this.choices[index] as ChoiceState;
  }

  /** Logprobs of a delta of choice `index` in the API's shape (`{content: []}` / empty lists when asked but none). */
  deltaLogprobs(index: number, entries: readonly LogprobEntry[] | undefined): unknown {
    if (!this.wantsLogprobs) return null;
    return this.at(index).logprobs(entries ?? []) ?? null;
  }

  get allDone(): boolean {
    return this.choices.every((c) => c.done !== undefined);
  }

  results(): ChoiceResult[] {
    return this.choices.map((c) => ({
      text: c.text,
      finishReason: (c.done as DoneEvent).finishReason,
      logprobs: this.wantsLogprobs ? c.allLogprobs() : null,
    }));
  }

  /** Usage and the `oicf` body of the finished response (every choice done). */
  summary(): { usage: UsageBody; oicf: OicfBody } {
    const done = this.choices.map((c) => c.done as DoneEvent);
    const first = done[0] as DoneEvent;
    const usage = usageBody(
      first.numPromptTokens,
      done.reduce((s, d) => s + d.numCompletionTokens, 0),
      Math.min(...done.map((d) => d.numCachedTokens)),
    );
    const oicf: OicfBody = done.length === 1 ? first.info : { ...first.info, choices: done.map((d) => d.info) };
    return { usage, oicf };
  }
}
