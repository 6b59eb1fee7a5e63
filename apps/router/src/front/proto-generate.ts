// The shared driver of the proto front doors (gRPC Router.Generate, WebSocket `generate`): validation →
// admission → GenerateChunk bodies. Rejects and failures throw OicfError: a policy reject is
// RESOURCE_EXHAUSTED (capacity, no-worker) or SLO_UNATTAINABLE (slo), both 429-class, with the reason in
// the message; no registered worker is UNAVAILABLE.
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
    throw new OicfError(
      admission.reason === 'slo' ? 'SLO_UNATTAINABLE' : 'RESOURCE_EXHAUSTED',
      `rejected (${admission.reason}) by policy ${admission.policy}: ${admission.message}; retry after ${admission.retryAfterSeconds} s`,
    );
  }
  if (admission.kind === 'unavailable') throw new OicfError('UNAVAILABLE', admission.message);
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
