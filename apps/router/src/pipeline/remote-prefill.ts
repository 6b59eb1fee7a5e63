// Step 4 of docs/architecture.md: PrefillWorker.Prefill on the planned prefill worker. It fetches the leased
// pool blocks, computes the rest of the prompt, samples the first token, hands the KV the decode worker
// lacks to it (tokens [numDecodeCachedTokens, P)) and offers new blocks to the pool; the reply carries the
// first token with its timings and bytes.
import type { PrefillResponse__Output } from '@oicf/proto';
import { unaryCall } from '@oicf/transport';
import type { WorkerRegistration } from '../core/worker-registration.js';
import type { CachedPrefix } from './cached-prefix.js';
import type { RequestDeps, RoutedRequest } from './request-context.js';
import { samplingParams } from './wire-requests.js';
import type { WorkerCalls } from './worker-calls.js';

/** Calls Prefill on `prefill` (within prefillTimeoutSeconds); a failure throws the error the client sees. */
export async function remotePrefill(
  deps: RequestDeps,
  r: RoutedRequest,
  prefill: WorkerRegistration,
  prefix: CachedPrefix,
  calls: WorkerCalls,
): Promise<PrefillResponse__Output> {
  const { input, plan } = r;
  try {
    return await unaryCall(
      deps.clients.prefillClient(prefill.grpcAddress),
      'Prefill',
      {
        requestId: input.requestId,
        // Read-only use: protobufjs serializes the array and keeps no reference (no copy of a long prompt).
        tokenIds: input.promptTokenIds as number[],
        cachedPrefix: prefix.kvSources,
        decodeWsAddress: plan.decode.wsAddress,
        poolWsAddress: deps.pool.wsAddress,
        sessionId: input.sessionId,
        sessionTtlSeconds: input.sessionTtlSeconds,
        sampling: samplingParams(input.sampling),
        numDecodeCachedTokens: plan.numDecodeCachedTokens,
      },
      { timeoutSeconds: deps.config.prefillTimeoutSeconds, signal: calls.signal },
    );
  } catch (err) {
    throw calls.failure(err, prefill.workerId, 'Prefill');
  }
}
