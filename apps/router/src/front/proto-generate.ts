// The shared driver of the proto front doors (gRPC Router.Generate, WebSocket `generate`): validation →
// admission → GenerateChunk bodies. Rejects and failures throw OicfError: an overloaded refusal (no worker,
// capacity, queue bounds) is UNAVAILABLE (503 class) and a predicted-SLO reject SLO_UNATTAINABLE (429
// class), both with the reason in the message and a retry delay (gRPC `retry-after` metadata).
import { rejectClass } from '@oicf/sched';
import { OicfError } from '@oicf/transport';
import { choiceInputs } from '../core/choice-inputs.js';
import { finalChunk, type GenerateChunkBody, protoLogprobs, tokensChunk } from '../core/generate-chunks.js';
import type { LogprobEntry } from '../core/logprob-format.js';
import { type GenerateLimits, type GenerateRequestLike, validateGenerate } from '../core/validate-generate.js';
import type { RouterCore } from '../pipeline/router-core.js';
import { newRequestId, randomSeed } from './http-generate.js';

export interface ProtoChunk {
  /** True for the last chunk (finish_reason set). */
  readonly last: boolean;
  readonly body: GenerateChunkBody;
}

export async function* generateProtoChunks(
  core: RouterCore,
  req: GenerateRequestLike,
  limits: GenerateLimits,
  arrivalSeconds: number,
  signal: AbortSignal,
): AsyncGenerator<ProtoChunk> {
  const parsed = validateGenerate(req, limits, newRequestId);
  if (!parsed.ok) {
    throw new OicfError('INVALID_ARGUMENT', parsed.issue.message, { field: parsed.issue.param ?? '' });
  }
  const { stream, requestId, base } = parsed.value;
  const context = { longestSequenceTokens: limits.contextTokens?.(), randomSeed };
  const input = choiceInputs(base, requestId, context)[0] as NonNullable<ReturnType<typeof choiceInputs>[0]>;
  const admission = await core.admit(input, arrivalSeconds);
  if (admission.kind === 'reject') {
    // docs/reliability.md: overloaded → UNAVAILABLE (503 class), a predicted-SLO reject → SLO_UNATTAINABLE (429).
    const code = rejectClass(admission.reason) === 'overloaded' ? 'UNAVAILABLE' : 'SLO_UNATTAINABLE';
    throw new OicfError(
      code,
      `rejected (${admission.reason}) by policy ${admission.policy}: ${admission.message}; retry after ${admission.retryAfterSeconds} s`,
      { retryAfterSeconds: admission.retryAfterSeconds },
    );
  }
  if (admission.kind === 'unavailable') {
    throw new OicfError('UNAVAILABLE', `${admission.message}; retry after ${admission.retryAfterSeconds ?? 1} s`, {
      retryAfterSeconds: admission.retryAfterSeconds ?? 1,
    });
  }
  if (admission.kind === 'invalid') {
    throw new OicfError('INVALID_ARGUMENT', admission.message, { field: admission.field });
  }
  const routing = admission.routing;
  const ids: number[] = [];
  const logprobs: LogprobEntry[] = [];
  let text = '';
  let ttftSeconds = 0;
  for await (const ev of admission.run(signal)) {
    if (ev.kind === 'tokens') {
      const first = ev.first ? { routing, ttftSeconds: ev.atSeconds - arrivalSeconds } : undefined;
      if (first !== undefined) ttftSeconds = first.ttftSeconds;
      if (stream) {
        yield { last: false, body: tokensChunk(input.requestId, ev.tokenIds, ev.text, first, ev.logprobs) };
      } else {
        ids.push(...ev.tokenIds);
        logprobs.push(...(ev.logprobs ?? []));
        text += ev.text;
      }
      continue;
    }
    if (stream) {
      yield { last: true, body: finalChunk(input.requestId, ev) };
    } else {
      // One chunk holding everything: the tokens, the routing and TTFT of a first chunk, the end of a last.
      const whole = finalChunk(input.requestId, { ...ev, text: text + ev.text }, ids);
      const head = tokensChunk(input.requestId, [], '', { routing, ttftSeconds });
      yield { last: true, body: { ...whole, routing: head.routing, ttftSeconds, ...protoLogprobs(logprobs) } };
    }
  }
}
