// gRPC clients of the workers' PrefillWorker and DecodeWorker services, one channel per address, kept
// while the worker is registered at that address (control only: no bulk channel options; KV bytes go
// worker-to-worker over WebSocket).
import { type DecodeWorkerClient, loadProto, type PrefillWorkerClient } from '@oicf/proto';
import { createGrpcClient } from '@oicf/transport';

/**
 * Channel options of the worker clients. channelz off: grpc-js otherwise keeps per-call counters and
 * timestamps on the channel, subchannel and socket for an introspection service nothing here serves
 * (a cost on every routed request's Prefill and Decode call).
 */
const WORKER_CHANNEL_OPTIONS = { 'grpc.enable_channelz': 0 } as const;

export class WorkerClients {
  private readonly prefill = new Map<string, PrefillWorkerClient>();
  private readonly decode = new Map<string, DecodeWorkerClient>();

  prefillClient(address: string): PrefillWorkerClient {
    let c = this.prefill.get(address);
    if (c === undefined) {
      c = createGrpcClient(loadProto().PrefillWorker, address, { channelOptions: WORKER_CHANNEL_OPTIONS });
      this.prefill.set(address, c);
    }
    return c;
  }

  decodeClient(address: string): DecodeWorkerClient {
    let c = this.decode.get(address);
    if (c === undefined) {
      c = createGrpcClient(loadProto().DecodeWorker, address, { channelOptions: WORKER_CHANNEL_OPTIONS });
      this.decode.set(address, c);
    }
    return c;
  }

  /** Closes the channels to an address (its worker was dropped or moved). */
  forget(address: string): void {
    this.prefill.get(address)?.close();
    this.prefill.delete(address);
    this.decode.get(address)?.close();
    this.decode.delete(address);
  }

  closeAll(): void {
    for (const address of new Set([...this.prefill.keys(), ...this.decode.keys()])) this.forget(address);
  }
}
