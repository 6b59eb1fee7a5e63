// GenerateChunk bodies (router.proto) for the gRPC and WebSocket front doors, built from pipeline events.
// The first chunk carries the routing and the router-observed TTFT; the last one finish_reason, usage
// and end-to-end time.

import type { RoutingSummary } from '@oicf/sched';
import type { LogprobEntry } from './logprob-format.js';
import type { OicfInfo } from './openai-format.js';

/** GenerateChunk as sent (the permissive generated input type, structurally). */
export interface GenerateChunkBody {
  requestId: string;
  tokenIds: number[];
  text: string;
  finishReason?: 'FINISH_REASON_STOP' | 'FINISH_REASON_LENGTH';
  usage?: { numPromptTokens: number; numCompletionTokens: number; numCachedPromptTokens: number };
  routing?: {
    prefillWorkerId: string;
    decodeWorkerId: string;
    policy: string;
    reason: string;
    numCachedTokens: number;
    predictedTtftSeconds: number;
  };
  ttftSeconds?: number;
  e2eSeconds?: number;
  /** With sampling.logprobs: one per token id (TokenLogprob, structurally). */
  logprobs?: Array<{ tokenId: number; logprob: number; topLogprobs: Array<{ tokenId: number; logprob: number }> }>;
}

/** Logprob entries as the proto message takes them (fresh mutable arrays). */
export function protoLogprobs(entries: readonly LogprobEntry[] | undefined): Pick<GenerateChunkBody, 'logprobs'> {
  if (entries === undefined || entries.length === 0) return {};
  return {
    logprobs: entries.map((e) => ({
      tokenId: e.tokenId,
      logprob: e.logprob,
      topLogprobs: e.topLogprobs.map((t) => ({ ...t })),
    })),
  };
}

export function routingInfo(r: RoutingSummary): NonNullable<GenerateChunkBody['routing']> {
  return {
    prefillWorkerId: r.prefillWorkerId ?? '',
    decodeWorkerId: r.decodeWorkerId,
    policy: r.policy,
    reason: r.reason,
    numCachedTokens: r.numCachedTokens,
    predictedTtftSeconds: r.predictedTtftSeconds,
  };
}

export function tokensChunk(
  requestId: string,
  tokenIds: readonly number[],
  text: string,
  first: { routing: RoutingSummary; ttftSeconds: number } | undefined,
  logprobs?: readonly LogprobEntry[],
): GenerateChunkBody {
  return {
    requestId,
    tokenIds: [...tokenIds],
    text,
    ...(first === undefined ? {} : { routing: routingInfo(first.routing), ttftSeconds: first.ttftSeconds }),
    ...protoLogprobs(logprobs),
  };
}

export function finalChunk(
  requestId: string,
  done: {
    finishReason: 'stop' | 'length';
    text: string;
    numPromptTokens: number;
    numCompletionTokens: number;
    numCachedTokens: number;
    info: OicfInfo;
  },
  tokenIds: readonly number[] = [],
): GenerateChunkBody {
  return {
    requestId,
    tokenIds: [...tokenIds],
    text: done.text,
    finishReason: done.finishReason === 'stop' ? 'FINISH_REASON_STOP' : 'FINISH_REASON_LENGTH',
    usage: {
      numPromptTokens: done.numPromptTokens,
      numCompletionTokens: done.numCompletionTokens,
      numCachedPromptTokens: done.numCachedTokens,
    },
    e2eSeconds: done.info.e2e_seconds,
  };
}
