// Reads under a lease (docs/reliability.md, "pool writes and reads"): with `requireLeaseForReads`, a kv.get must
// name a live lease that pins every block it reads.
import { OicfError } from '@oicf/transport';
import type { PoolCore } from './pool-core.js';

/** Reads under a lease: every id asked for must be pinned by `leaseId` (FAILED_PRECONDITION naming it otherwise). */
export function requireLeaseCovers(core: PoolCore, leaseId: string, ids: readonly string[], nowSeconds: number): void {
  if (leaseId === '') {
    throw new OicfError(
      'FAILED_PRECONDITION',
      'this pool serves reads only under a lease: Lease the blocks, then kv.get with the lease id',
      {
        field: 'body.leaseId',
      },
    );
  }
  const pinned = new Set(core.cache.leasedKeys(leaseId, nowSeconds) ?? []);
  const i = ids.findIndex((id) => !pinned.has(id));
  if (i >= 0) {
    throw new OicfError(
      'FAILED_PRECONDITION',
      `lease ${leaseId} does not pin block ${ids[i]}: lease every block you read`,
      {
        field: `body.blockIds[${i}]`,
      },
    );
  }
}
