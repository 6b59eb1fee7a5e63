// The body of a whole (non-streamed) response written from a template: the bytes JSON.stringify gives for
// core/openai-format.ts fullResponse (same keys, same order), without building the object first. Strings
// (ids, model, text) and the parts whose shape varies (logprobs, `oicf`) go through JSON.stringify; the
// counts are finite integers, whose text JSON writes as String does.
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
  return `${out},"oicf":${oicfJson(oicf)}}`;
}

/** The keys of an OicfInfo in the order the template writes them (core/request-summary.ts's order). */
const INFO_KEYS =
  'request_id,policy,reason,prefill_worker_id,decode_worker_id,num_cached_tokens,cache_source,predicted_ttft_seconds,ttft_seconds,e2e_seconds,kv_bytes_moved,timings';
const TIMING_KEYS = 'queue_seconds,prefill_seconds,kv_transfer_seconds,decode_seconds';

/** A number as JSON writes it (finite: as String does), or undefined when `v` is not a number. */
function num(v: unknown): string | undefined {
  if (typeof v !== 'number') return undefined;
  return Number.isFinite(v) ? String(v) : 'null';
}

/**
 * JSON.stringify(oicf) for one choice's OicfInfo, from a template (same keys, same order as
 * core/request-summary.ts builds it); any other shape (several choices, a field of another type) is
 * JSON.stringify's own.
 */
export function oicfJson(oicf: OicfBody): string {
  const i = oicf as OicfInfo & { choices?: unknown };
  const t = i.timings;
  if (i.choices !== undefined || typeof t !== 'object' || t === null) return JSON.stringify(oicf);
  const numbers = [
    num(i.num_cached_tokens),
    num(i.predicted_ttft_seconds),
    num(i.ttft_seconds),
    num(i.e2e_seconds),
    num(i.kv_bytes_moved),
    num(t.queue_seconds),
    num(t.prefill_seconds),
    num(t.kv_transfer_seconds),
    num(t.decode_seconds),
  ];
  if (
    numbers.includes(undefined) ||
    typeof i.request_id !== 'string' ||
    typeof i.policy !== 'string' ||
    typeof i.reason !== 'string' ||
    (i.prefill_worker_id !== null && typeof i.prefill_worker_id !== 'string') ||
    typeof i.decode_worker_id !== 'string' ||
    typeof i.cache_source !== 'string' ||
    Object.keys(i).join() !== INFO_KEYS ||
    Object.keys(t).join() !== TIMING_KEYS
  )
    return JSON.stringify(oicf);
  const [cached, predicted, ttft, e2e, moved, queue, prefill, transfer, decode] = numbers as string[];
  const prefillWorker = i.prefill_worker_id === null ? 'null' : JSON.stringify(i.prefill_worker_id);
  return `{"request_id":${JSON.stringify(i.request_id)},"policy":${JSON.stringify(i.policy)},"reason":${JSON.stringify(i.reason)},"prefill_worker_id":${prefillWorker},"decode_worker_id":${JSON.stringify(i.decode_worker_id)},"num_cached_tokens":${cached},"cache_source":${JSON.stringify(i.cache_source)},"predicted_ttft_seconds":${predicted},"ttft_seconds":${ttft},"e2e_seconds":${e2e},"kv_bytes_moved":${moved},"timings":{"queue_seconds":${queue},"prefill_seconds":${prefill},"kv_transfer_seconds":${transfer},"decode_seconds":${decode}}}`;
}
