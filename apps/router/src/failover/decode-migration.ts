// Step 5 with failover (docs/reliability.md, "decode worker dies mid-stream"; Dynamo's request migration):
// when a Decode stream fails, @oicf/sched's decideDecodeMigration says whether to re-issue the request to
// another decode worker, bounded by decodeMaxMigrations. The new worker gets prompt + every token already
// relayed to the client (`resume_token_ids`), fetches the prompt's blocks from the pool when the pool has
// them (leased here) and prefills the rest itself; it numbers its tokens from the count already relayed, so
// the relay (decode-relay.ts) takes each token exactly once. Every attempt is logged and counted.
import type { DecodeRequest } from '@oicf/proto';
import { decideDecodeMigration, usablePoolBlocks } from '@oicf/sched';
import { OicfError } from '@oicf/transport';
import { type CachedPrefix, leaseCachedPrefix, NO_CACHED_PREFIX } from '../pipeline/cached-prefix.js';
import type { RequestDeps, RoutedRequest } from '../pipeline/request-context.js';
import { promptBlockRefs, samplingParams } from '../pipeline/wire-requests.js';

export interface Migration {
  /** The request as it goes on: its plan's decode worker is the new one. */
  readonly request: RoutedRequest;
  /** The Decode to send it. */
  readonly decodeReq: DecodeRequest;
}

export class DecodeMigrations {
  private readonly failed = new Set<string>();
  private numMigrations = 0;
  private prefix: CachedPrefix = NO_CACHED_PREFIX;

  constructor(
    private readonly deps: RequestDeps,
    private readonly clientGone: () => boolean,
  ) {}

  /** Migrations made so far. */
  get count(): number {
    return this.numMigrations;
  }

  /**
   * After `failure` of request `r`'s decode, with `generated` relayed to the client: the migrated request, or
   * throws `failure` (its message saying why it was not migrated).
   */
  async next(r: RoutedRequest, failure: OicfError, generated: readonly number[]): Promise<Migration> {
    const { deps } = this;
    const from = r.plan.decode.workerId;
    this.failed.add(from);
    const decision = decideDecodeMigration({
      migrations: this.numMigrations,
      maxMigrations: deps.config.decodeMaxMigrations,
      code: failure.code,
      clientGone: this.clientGone(),
      workers: deps.admission.states(deps.clock.nowSeconds()),
      failed: this.failed,
      numPromptTokens: r.input.promptTokenIds.length,
      maxTokens: r.input.maxTokens,
      kvBytesPerToken: deps.kvBytesPerToken,
    });
    const log = { requestId: r.input.requestId, from, numRelayedTokens: generated.length, code: failure.code };
    const to = decision.kind === 'migrate' ? deps.admission.workers.get(decision.decodeWorkerId) : undefined;
    if (decision.kind === 'fail' || to === undefined || generated.length >= r.input.maxTokens) {
      const reason = decision.kind === 'fail' ? decision.reason : 'nothing left to generate';
      if (failure.code === 'UNAVAILABLE') {
        deps.metrics.decodeMigration('failed');
        deps.log.warn('decode_not_migrated', { ...log, reason, error: failure.message });
      }
      throw new OicfError(failure.code, `${failure.message}; not migrated: ${reason}`, {
        field: failure.field,
        cause: failure,
      });
    }
    this.numMigrations++;
    deps.metrics.decodeMigration('migrated');
    deps.log.warn('decode_migrated', { ...log, to: to.registration.workerId, migration: this.numMigrations });
    const request = await this.migrated(r, to.registration, generated);
    return { request, decodeReq: this.decodeRequest(request, generated) };
  }

  /** The pool blocks of the current attempt are fetched (its first output) or the request ended. */
  releasePrefix(): void {
    this.prefix.release();
    this.prefix = NO_CACHED_PREFIX;
  }

  private async migrated(
    r: RoutedRequest,
    decode: RoutedRequest['plan']['decode'],
    generated: readonly number[],
  ): Promise<RoutedRequest> {
    const { deps } = this;
    // The prompt's blocks the pool still holds (the prefill offered them), leased until the new worker has them.
    let poolBlocksToLease: RoutedRequest['plan']['poolBlocksToLease'] = [];
    if (r.plan.blockIds.length > 0) {
      try {
        const found = await deps.pool.lookup(r.plan.blockIds);
        poolBlocksToLease = usablePoolBlocks(found, r.input.promptTokenIds.length, deps.config.blockTokens);
      } catch {
        // a pool outage is a miss: the new worker recomputes the prompt too
      }
    }
    const request: RoutedRequest = {
      ...r,
      plan: { ...r.plan, decode, decodePrefixBlocks: 0, poolBlocksToLease, awaitPrefix: undefined },
      routing: {
        ...r.routing,
        decodeWorkerId: decode.workerId,
        reason: `${r.routing.reason}; migrated from ${r.plan.decode.workerId} after ${generated.length} tokens`,
      },
    };
    this.releasePrefix();
    const leasing = leaseCachedPrefix(deps, request);
    this.prefix = leasing instanceof Promise ? await leasing : leasing;
    return request;
  }

  private decodeRequest(r: RoutedRequest, generated: readonly number[]): DecodeRequest {
    const { input, plan } = r;
    return {
      requestId: input.requestId,
      promptTokenIds: input.promptTokenIds as number[],
      promptBlocks: promptBlockRefs(plan.blockIds, this.deps.config.blockTokens, this.deps.kvBytesPerToken),
      kvSources: this.prefix.kvSources,
      numHandoffTokens: 0,
      firstTokenId: 0,
      maxTokens: input.maxTokens,
      resumeTokenIds: [...generated],
      sampling: samplingParams(input.sampling),
      sessionId: input.sessionId,
      sessionTtlSeconds: input.sessionTtlSeconds,
    };
  }
}
