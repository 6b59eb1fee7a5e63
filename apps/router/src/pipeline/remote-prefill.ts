// Step 4 of docs/architecture.md: a `prefill` frame to the planned prefill worker over its request channel.
// It fetches the leased pool blocks, computes the rest of the prompt, samples the first token, hands the KV
// the decode worker lacks to it (tokens [numDecodeCachedTokens, P)) and offers new blocks to the pool; the
// `prefill.done` reply carries the first token with its timings and bytes.
import type { PrefillResponse__Output } from '@oicf/proto';
import { type Frame, fromErrorDetail, OicfError, type PlaneChannel } from '@oicf/transport';
import type { WorkerRegistration } from '../core/worker-registration.js';
import type { CachedPrefix } from './cached-prefix.js';
import type { RequestDeps, RoutedRequest } from './request-context.js';
import { samplingParams } from './wire-requests.js';
import type { RouterCall, WorkerCalls } from './worker-calls.js';

/** One prefill on a channel, as a promise: settled by `prefill.done`, an `error`, a closed channel or the limit. */
class PrefillCall implements RouterCall {
  lastFrameMs = 0;
  /** Every way this call ends leaves the worker done with it, except fail() from the router's side. */
  settled = false;
  readonly done: Promise<PrefillResponse__Output>;
  private resolve!: (res: PrefillResponse__Output) => void;
  private reject!: (err: OicfError) => void;

  constructor(
    readonly id: string,
    readonly idleTimeoutMs: number,
    private readonly timeoutError: () => OicfError,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  onFrame(frame: Frame): void {
    this.settled = true;
    if (frame.kind === 'prefill.done') this.resolve(frame.body);
    else if (frame.kind === 'error') this.reject(fromErrorDetail(frame.body));
    else this.reject(new OicfError('INTERNAL', `expected prefill.done for ${this.id}, got a ${frame.kind} frame`));
  }

  onOutput(): void {
    this.reject(new OicfError('INTERNAL', `a prefill worker sent decode output for ${this.id}`));
  }

  onClosed(error: OicfError): void {
    this.settled = true;
    this.reject(error);
  }

  onIdle(): void {
    this.settled = true;
    this.reject(this.timeoutError());
  }

  fail(error: OicfError): void {
    this.reject(error);
  }
}

/** Prefills on `prefill` (within prefillTimeoutSeconds); a failure throws the error the client sees. */
export async function remotePrefill(
  deps: RequestDeps,
  r: RoutedRequest,
  prefill: WorkerRegistration,
  prefix: CachedPrefix,
  calls: WorkerCalls,
): Promise<PrefillResponse__Output> {
  const { input, plan } = r;
  const seconds = deps.config.prefillTimeoutSeconds;
  const call = new PrefillCall(input.requestId, seconds * 1000, () =>
    calls.timedOut(
      new OicfError(
        'DEADLINE_EXCEEDED',
        `prefill worker ${prefill.workerId} did not answer within ${seconds} s (prefillTimeoutSeconds): the request was cancelled`,
      ),
    ),
  );
  try {
    const opened = calls.channelTo(prefill);
    const channel: PlaneChannel = opened instanceof Promise ? await opened : opened;
    calls.begin(channel, call, 'prefill', {
      requestId: input.requestId,
      // Read-only use: the frame codec packs the array and keeps no reference (no copy of a long prompt).
      tokenIds: input.promptTokenIds as number[],
      cachedPrefix: prefix.kvSources,
      decodeWsAddress: plan.decode.wsAddress,
      poolWsAddress: deps.pool.wsAddress,
      sessionId: input.sessionId,
      sessionTtlSeconds: input.sessionTtlSeconds,
      sampling: samplingParams(input.sampling),
      numDecodeCachedTokens: plan.numDecodeCachedTokens,
    });
    const res = await call.done;
    calls.end();
    return res;
  } catch (err) {
    // The call stays open: close() cancels it on the worker unless the worker already ended it.
    throw calls.failure(err, prefill.workerId, 'Prefill');
  }
}
