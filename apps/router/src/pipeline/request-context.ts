// What every step of a routed request reads: the router's adapters and admission (RequestDeps), and the
// request as admission accepted it (RoutedRequest). RouterCore builds both; the step files take them.
import type { Admission, RoutePlan, RoutingSummary } from '@oicf/sched';
import type { Clock } from '@oicf/transport';
import type { PoolPort } from '../adapters/pool-client.js';
import type { WorkerClients } from '../adapters/worker-clients.js';
import type { RouterConfig } from '../config.js';
import type { GenerateInput } from '../core/generate-input.js';
import type { WorkerRegistration } from '../core/worker-registration.js';
import type { Logger } from '../logger.js';
import type { RouterMetrics } from '../metrics.js';
import type { WorkerRegistry } from '../registry/registry.js';

export interface RequestDeps {
  readonly config: RouterConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly registry: WorkerRegistry;
  readonly pool: PoolPort;
  readonly clients: WorkerClients;
  readonly metrics: RouterMetrics;
  /** The decision code (@oicf/sched) and the state it keeps: workers, in-flight load, prefix index, links. */
  readonly admission: Admission<WorkerRegistration>;
  /** KV bytes one token of the served model occupies on the workers. */
  readonly kvBytesPerToken: number;
}

/** An accepted request on its way through steps 4–6. */
export interface RoutedRequest {
  readonly input: GenerateInput;
  /** When it reached the router (router clock, seconds). */
  readonly arrivalSeconds: number;
  readonly routing: RoutingSummary;
  readonly plan: RoutePlan<WorkerRegistration>;
}
