// The body of a whole (non-streamed) response written from a template: the bytes JSON.stringify gives for
// core/openai-format.ts fullResponse (same keys, same order), without building the object first. Strings
// (ids, model, text) and the parts whose shape varies (logprobs, `oicf`) go through JSON.stringify; the
// counts are finite integers, whose text JSON writes as String does.
import type { ChoiceResult, OicfBody, ResponseMeta, UsageBody } from '../core/openai-format.js';

export function fullResponseJson(
  meta: ResponseMeta,
  choices: readonly ChoiceResult[],
  usage: UsageBody,
  oicf: OicfBody,
): string {
  const chat = meta.kind === 'chat';
  const id = JSON.stringify(`${chat ? 'chatcmpl' : 'cmpl'}-${meta.requestId}`);
  const object = chat ? '"chat.completion"' : '"text_completion"';
  let out = `{"id":${id},"object":${object},"created":${meta.created},"model":${JSON.stringify(meta.model)},"choices":[`;
  for (let index = 0; index < choices.length; index++) {
    const c = choices[index] as ChoiceResult;
    const text = JSON.stringify(c.text);
    const rest = `"logprobs":${JSON.stringify(c.logprobs ?? null)},"finish_reason":"${c.finishReason}"}`;
    if (index > 0) out += ',';
    out += chat
      ? `{"index":${index},"message":{"role":"assistant","content":${text}},${rest}`
      : `{"index":${index},"text":${text},${rest}`;
  }
  const u = usage;
  out += `],"usage":{"prompt_tokens":${u.prompt_tokens},"completion_tokens":${u.completion_tokens},"total_tokens":${u.total_tokens},"prompt_tokens_details":{"cached_tokens":${u.prompt_tokens_details.cached_tokens}}}`;
  return `${out},"oicf":${JSON.stringify(oicf)}}`;
}
