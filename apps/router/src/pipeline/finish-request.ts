// Step 6 of docs/architecture.md, at the router: the decode worker finished the request. What the workers
// reported becomes the client's OicfInfo and usage, the router's latency metrics, and what admission learns
// (transfer paths from the timed transfers; the blocks the decode worker now holds).
import type { PrefillResponse__Output } from '@oicf/proto';
import type { PrefillReport } from '@oicf/sched';
import { summarizeRequest } from '../core/request-summary.js';
import type { DecodeOutcome } from './decode-stream.js';
import type { RequestDeps, RoutedRequest } from './request-context.js';
import type { TokenEmitter } from './token-emitter.js';
import type { DoneEvent } from './types.js';

function prefillReport(res: PrefillResponse__Output): PrefillReport {
  return {
    numCachedTokens: res.numCachedTokens,
    kvBytesSent: res.kvBytesSent,
    queueSeconds: res.timings?.queueSeconds ?? 0,
    fetchKvSeconds: res.timings?.fetchKvSeconds ?? 0,
    computeSeconds: res.timings?.computeSeconds ?? 0,
    sendKvSeconds: res.timings?.sendKvSeconds ?? 0,
  };
}

/** Records the finished request and returns its `done` event. */
export function finishRequest(
  deps: RequestDeps,
  r: RoutedRequest,
  prefilled: PrefillResponse__Output | undefined,
  decoded: DecodeOutcome,
  tokens: TokenEmitter,
  poolBytes: number,
): DoneEvent {
  const { input, routing, plan } = r;
  const numPrompt = input.promptTokenIds.length;
  const endSeconds = deps.clock.nowSeconds();
  const prefill = prefilled === undefined ? undefined : prefillReport(prefilled);
  const summary = summarizeRequest({
    routing,
    numPromptTokens: numPrompt,
    numCompletionTokens: tokens.generated.length,
    arrivalSeconds: r.arrivalSeconds,
    firstTokenSeconds: tokens.firstTokenSeconds,
    endSeconds,
    prefill,
    decode: decoded.report,
    poolBytes,
    decodeWorkerPrefixTokens: plan.decodePrefixBlocks * deps.config.blockTokens,
  });
  deps.admission.finished(plan, { prefill, decode: decoded.report, generatedTokenIds: tokens.generated });
  deps.metrics.finished({
    ttftSeconds: summary.info.ttft_seconds,
    interTokenSeconds: tokens.interTokenSeconds(),
    e2eSeconds: summary.info.e2e_seconds,
    queueSeconds: summary.info.timings.queue_seconds,
    prefillSeconds: summary.info.timings.prefill_seconds,
    decodeSeconds: summary.info.timings.decode_seconds,
    numPromptTokens: numPrompt,
    numCompletionTokens: tokens.generated.length,
    numCachedTokens: summary.numCachedTokens,
    cacheSource: summary.info.cache_source,
    finishReason: decoded.finishReason,
    predictedTtftSeconds: routing.predictedTtftSeconds,
  });
  return {
    kind: 'done',
    finishReason: decoded.finishReason,
    text: tokens.endText(),
    numPromptTokens: numPrompt,
    numCompletionTokens: tokens.generated.length,
    numCachedTokens: summary.numCachedTokens,
    info: summary.info,
    tokenIds: tokens.generated,
  };
}
