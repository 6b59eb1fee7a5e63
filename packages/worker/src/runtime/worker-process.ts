import type { WorkerLoad } from '@oicf/proto';
import type { Endpoints } from '@oicf/transport';
import { Registration } from '../registry/registration.js';
import { registerRequest, type WorkerRuntime } from './worker-runtime.js';

/**
 * Registers the worker with its router (when `routerGrpcAddress` is set) and heartbeats `load()`.
 * Returns undefined in standalone mode: such a worker is ready as soon as it listens.
 */
export function startRegistration(
  rt: WorkerRuntime,
  endpoints: Endpoints,
  load: () => WorkerLoad,
): Registration | undefined {
  if (rt.config.routerGrpcAddress === '') {
    rt.log.warn('no routerGrpcAddress: running standalone, not registered with any router');
    return undefined;
  }
  if (endpoints.grpc === undefined || endpoints.ws === undefined) {
    throw new Error('a worker serves both gRPC and a WebSocket data plane');
  }
  const registration = new Registration({
    routerAddress: rt.config.routerGrpcAddress,
    request: registerRequest(rt, { grpc: endpoints.grpc, ws: endpoints.ws, http: endpoints.http }),
    load,
    clock: rt.clock,
    log: rt.log,
    routerGraceSeconds: rt.config.routerGraceSeconds,
    // Drain and exit through the service's own SIGTERM handling (startService).
    onRouterLost: () => process.kill(process.pid, 'SIGTERM'),
  });
  registration.start();
  return registration;
}
