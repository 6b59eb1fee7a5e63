// What the twin's router needs of a worker: the calls the real router makes over gRPC. The twin's own
// workers implement them; a test can script them (as the router's tests script real gRPC workers).
import type { DecodeCall, DecodeSink, PrefillCall, PrefillReply } from '../workers/worker-calls.js';

export interface DecodeWorkerPort {
  readonly workerId: string;
  /** DecodeWorker.Decode arriving now; the stream goes to `sink` at the times chunks leave the worker. */
  decode(call: DecodeCall, sink: DecodeSink): void;
}

export interface PrefillWorkerPort {
  readonly workerId: string;
  /** PrefillWorker.Prefill arriving now; `reply` runs when the reply leaves the worker. */
  prefill(call: PrefillCall, reply: (r: PrefillReply) => void): void;
}
