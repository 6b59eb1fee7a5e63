import { type KvPoolClient, type LookupResponse__Output, loadProto } from '@oicf/proto';
import { createGrpcClient, unaryCall } from '@oicf/transport';

/**
 * The pool's gRPC control API as a worker uses it: which prefix the pool holds (Lookup), pinning blocks
 * across a transfer (Lease) and unpinning them (Release). Bulk bytes never travel here.
 */
export class PoolControlClient {
  private readonly client: KvPoolClient;

  constructor(
    readonly address: string,
    private readonly timeoutSeconds = 5,
  ) {
    this.client = createGrpcClient(loadProto().KvPool, address);
  }

  /** Longest cached prefix of a chain; `touch` counts it as a use. */
  lookup(blockIds: readonly string[], touch = false): Promise<LookupResponse__Output> {
    return unaryCall(
      this.client,
      'Lookup',
      { blockIds: [...blockIds], touch },
      { timeoutSeconds: this.timeoutSeconds },
    );
  }

  /** Pins blocks for `ttlSeconds`; ids the pool lacks come back in missingBlockIds (a value). */
  lease(blockIds: readonly string[], ttlSeconds: number, holder: string) {
    return unaryCall(
      this.client,
      'Lease',
      { blockIds: [...blockIds], ttlSeconds, holder },
      { timeoutSeconds: this.timeoutSeconds },
    );
  }

  /** Drops a lease early; false when it was unknown or expired. */
  async release(leaseId: string): Promise<boolean> {
    const r = await unaryCall(this.client, 'Release', { leaseId }, { timeoutSeconds: this.timeoutSeconds });
    return r.released;
  }

  close(): void {
    this.client.close();
  }
}
