// A worker as this router knows it: what admission decides on (`WorkerSpec` in @oicf/sched) plus how to
// reach it and what it announced about itself. Filled by checkRegistration from a Register call.
import type { WorkerSpec } from '@oicf/sched';

export interface WorkerRegistration extends WorkerSpec {
  /** host:port of its PrefillWorker / DecodeWorker gRPC service. */
  readonly grpcAddress: string;
  /** ws://host:port of its KV data plane ('' for a prefill-only worker that serves none). */
  readonly wsAddress: string;
  /** http://host:port of its /metrics and health endpoints ('' = not announced). */
  readonly httpAddress: string;
  readonly modelId: string;
  readonly deviceId: string;
  readonly emulatedModelId: string;
}
