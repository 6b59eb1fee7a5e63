// Validation of a worker's Register call. Malformed fields are the worker's bug and come back as an
// issue naming the field (→ INVALID_ARGUMENT); a well-formed worker this router cannot use (another
// model, a prefill-only worker in colocated mode) is a value: `accepted = false` with the reason.
import type { WorkerRole } from '@oicf/sched';
import type { WorkerRegistration } from './worker-registration.js';

/** Register as it arrives (RegisterRequest__Output, enums as names), structurally. */
export interface RegisterInput {
  readonly workerId: string;
  readonly role: string;
  readonly grpcAddress: string;
  readonly wsAddress: string;
  readonly modelId: string;
  readonly capacity: { kvCapacityBytes: number; maxBatch: number; maxContextTokens: number } | null;
  readonly deviceId: string;
  readonly emulatedModelId: string;
  /** Absent from workers built before http_address existed: read as ''. */
  readonly httpAddress?: string;
}

export type RegistrationCheck =
  | { readonly kind: 'ok'; readonly registration: WorkerRegistration }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly field: string; readonly message: string };

const ROLES: Record<string, WorkerRole> = {
  WORKER_ROLE_PREFILL: 'prefill',
  WORKER_ROLE_DECODE: 'decode',
  WORKER_ROLE_BOTH: 'both',
};
const WORKER_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const HOST_PORT = /^[^\s/]+:(\d{1,5})$/;

export function checkRegistration(
  req: RegisterInput,
  served: { modelId: string; mode: 'disaggregated' | 'colocated' },
): RegistrationCheck {
  const bad = (field: string, message: string): RegistrationCheck => ({ kind: 'invalid', field, message });
  if (!WORKER_ID.test(req.workerId)) {
    return bad(
      'worker_id',
      `worker_id must be 1–128 characters of [A-Za-z0-9._:-], got ${JSON.stringify(req.workerId)}`,
    );
  }
  const role = ROLES[req.role];
  if (role === undefined) {
    return bad('role', `role must be WORKER_ROLE_PREFILL, WORKER_ROLE_DECODE or WORKER_ROLE_BOTH, got ${req.role}`);
  }
  const port = HOST_PORT.exec(req.grpcAddress)?.[1];
  if (port === undefined || Number(port) < 1 || Number(port) > 65535) {
    return bad('grpc_address', `grpc_address must be host:port, got ${JSON.stringify(req.grpcAddress)}`);
  }
  const decodes = role !== 'prefill';
  if ((decodes || req.wsAddress !== '') && !/^wss?:\/\/[^\s/]+:\d{1,5}\/?$/.test(req.wsAddress)) {
    return bad(
      'ws_address',
      `ws_address must be ws://host:port${decodes ? ' (decode workers receive KV handoffs there)' : ''}, got ${JSON.stringify(req.wsAddress)}`,
    );
  }
  const httpAddress = req.httpAddress ?? '';
  if (httpAddress !== '' && !/^https?:\/\/[^\s/]+:\d{1,5}\/?$/.test(httpAddress)) {
    return bad('http_address', `http_address must be http://host:port or empty, got ${JSON.stringify(httpAddress)}`);
  }
  const cap = req.capacity ?? { kvCapacityBytes: 0, maxBatch: 0, maxContextTokens: 0 };
  if (decodes && !(cap.kvCapacityBytes > 0)) {
    return bad('capacity.kv_capacity_bytes', 'capacity.kv_capacity_bytes must be > 0 for a decode-capable worker');
  }
  if (decodes && !(cap.maxBatch >= 1)) {
    return bad('capacity.max_batch', 'capacity.max_batch must be ≥ 1 for a decode-capable worker');
  }
  if (req.modelId !== served.modelId) {
    return {
      kind: 'refused',
      reason: `this router serves model ${JSON.stringify(served.modelId)}, not ${JSON.stringify(req.modelId)}: start the worker with model ${served.modelId}`,
    };
  }
  if (served.mode === 'colocated' && role === 'prefill') {
    return {
      kind: 'refused',
      reason: 'this router runs in colocated mode and never calls a prefill worker: register as decode or both',
    };
  }
  return {
    kind: 'ok',
    registration: {
      workerId: req.workerId,
      role,
      grpcAddress: req.grpcAddress,
      wsAddress: req.wsAddress,
      httpAddress,
      modelId: req.modelId,
      deviceId: req.deviceId,
      emulatedModelId: req.emulatedModelId,
      kvCapacityBytes: cap.kvCapacityBytes,
      maxBatch: cap.maxBatch,
      maxContextTokens: cap.maxContextTokens,
    },
  };
}
