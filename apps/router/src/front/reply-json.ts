// The body of a whole (non-streamed) response written from a template: the bytes JSON.stringify gives for
// core/openai-format.ts fullResponse (same keys, same order), without building the object first. Strings
// (ids, model, text) and the parts whose shape varies (logprobs, `oicf`) go through JSON.stringify; the
// counts are finite integers, whose text JSON writes as String does. One choice's `oicf` is templated too
// (oicfInfoJson); several choices' go through JSON.stringify.
import type { ChoiceResult, OicfBody, OicfInfo, ResponseMeta, UsageBody } from '../core/openai-format.js';

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
  return `${out},"oicf":${'choices' in oicf ? JSON.stringify(oicf) : oicfInfoJson(oicf)}}`;
}

/** A number as JSON writes it: its shortest round-trip text (String's), null when not finite. */
const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

/**
 * JSON.stringify(info) for one choice's OicfInfo, from a template (keys in the order request-summary.ts
 * builds them; reply-json.test.ts compares the two on what summarizeRequest returns).
 */
export function oicfInfoJson(info: OicfInfo): string {
  const t = info.timings;
  const prefill = info.prefill_worker_id === null ? 'null' : JSON.stringify(info.prefill_worker_id);
  return (
    `{"request_id":${JSON.stringify(info.request_id)},"policy":${JSON.stringify(info.policy)},` +
    `"reason":${JSON.stringify(info.reason)},"prefill_worker_id":${prefill},` +
    `"decode_worker_id":${JSON.stringify(info.decode_worker_id)},"num_cached_tokens":${num(info.num_cached_tokens)},` +
    `"cache_source":${JSON.stringify(info.cache_source)},"predicted_ttft_seconds":${num(info.predicted_ttft_seconds)},` +
    `"ttft_seconds":${num(info.ttft_seconds)},"e2e_seconds":${num(info.e2e_seconds)},` +
    `"kv_bytes_moved":${num(info.kv_bytes_moved)},"timings":{"queue_seconds":${num(t.queue_seconds)},` +
    `"prefill_seconds":${num(t.prefill_seconds)},"kv_transfer_seconds":${num(t.kv_transfer_seconds)},` +
    `"decode_seconds":${num(t.decode_seconds)}}}`
  );
}
