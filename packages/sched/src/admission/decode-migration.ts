// What to do when a decode worker fails mid-stream (issue 14.1, Dynamo's "request migration"): re-issue the
// request to another decode worker, which prefills prompt + the tokens already sent to the client and goes on
// from the next token index, or give up with the error. Pure: the host passes what it knows.
//
//   client gone                                                     → fail
//   the failure is not the worker's loss (anything but UNAVAILABLE) → fail (a bad request stays bad elsewhere)
//   migrations made = maxMigrations                                 → fail, naming the limit
//   a healthy decode worker not failed for this request, with room  → migrate to the least loaded one
//     for (prompt + max_tokens) × kvBytesPerToken of KV               ((running + waiting) / maxBatch, then
//                                                                      the most free KV, then the id)
//   otherwise                                                       → fail
//
// Bounded: at most maxMigrations re-issues per request (the router's decodeMaxMigrations; Dynamo's
// --migration-limit, whose docs suggest 3). Exactly-once tokens are the relay's: the new worker numbers its
// tokens from the count already relayed, and sampled draws are seeded by (seed, token index), so the
// continuation is the one the failed worker would have produced.
import type { WorkerState } from '../types.js';

/** The only failure a migration fixes: the worker (or the channel to it) is gone. */
export const MIGRATABLE_CODES: ReadonlySet<string> = new Set(['UNAVAILABLE']);

export interface DecodeMigrationInput {
  /** Migrations already made for this request (0 on the first failure). */
  readonly migrations: number;
  readonly maxMigrations: number;
  /** The failure's code (transport ErrorCode). */
  readonly code: string;
  readonly clientGone: boolean;
  /** Every worker as the router sees it now. */
  readonly workers: readonly WorkerState[];
  /** Decode workers that failed this request (the one that just died among them). */
  readonly failed: ReadonlySet<string>;
  readonly numPromptTokens: number;
  readonly maxTokens: number;
  readonly kvBytesPerToken: number;
}

export type DecodeMigrationDecision =
  | { readonly kind: 'migrate'; readonly decodeWorkerId: string }
  | { readonly kind: 'fail'; readonly reason: string };

export function decideDecodeMigration(x: DecodeMigrationInput): DecodeMigrationDecision {
  if (x.clientGone) return { kind: 'fail', reason: 'the client went away' };
  if (!MIGRATABLE_CODES.has(x.code)) return { kind: 'fail', reason: `${x.code} is not a lost worker` };
  if (x.migrations >= x.maxMigrations) {
    return {
      kind: 'fail',
      reason:
        x.maxMigrations === 0
          ? 'migration is off (decodeMaxMigrations 0)'
          : `the request was already migrated ${x.migrations} time(s), the limit (decodeMaxMigrations)`,
    };
  }
  const needBytes = (x.numPromptTokens + x.maxTokens) * x.kvBytesPerToken;
  const load = (w: WorkerState) => (w.numRunning + w.numWaiting) / Math.max(1, w.maxBatch);
  const free = (w: WorkerState) => w.kvBytesCapacity - w.kvBytesUsed;
  const next = x.workers
    .filter((w) => w.healthy && (w.role === 'decode' || w.role === 'both') && !x.failed.has(w.workerId))
    .filter((w) => w.kvBytesCapacity <= 0 || free(w) >= needBytes)
    .sort((a, b) => load(a) - load(b) || free(b) - free(a) || a.workerId.localeCompare(b.workerId))[0];
  if (next === undefined) {
    return { kind: 'fail', reason: 'no other healthy decode worker has room for the request' };
  }
  return { kind: 'migrate', decodeWorkerId: next.workerId };
}
