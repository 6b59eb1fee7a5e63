// The router's observability pages, behind one line in front/http-routes.ts:
//   GET /dashboard            the live dashboard (page.ts)
//   GET /dashboard/events     its server-sent event stream, one frame per second (event-stream.ts)
//   GET /dashboard/snapshot   the latest frame as JSON, for pollers and scripts
//   GET /v1/oicf/sd           Prometheus http_sd target groups of the cluster (sd-route.ts)
// The hub and its pool client are made on the first dashboard request, so a router nobody watches pays
// nothing for them.
import type { ServerResponse } from 'node:http';
import { THIS_MACHINE_DESIGN_PROFILE, thisMachineDevice } from '@oicf/core';
import type { Clock, HttpRoute } from '@oicf/transport';
import type { RouterMetrics } from '../metrics.js';
import type { WorkerRegistry } from '../registry/registry.js';
import { DashboardCharter } from './charts.js';
import { DashboardState, type TickInput } from './dashboard-state.js';
import { DashboardHub } from './event-stream.js';
import { DASHBOARD_CSP, dashboardPage } from './page.js';
import { poolStatsReader } from './pool-stats.js';
import { sdRoute } from './sd-route.js';
import { servedModel } from './worker-points.js';

export interface DashboardDeps {
  readonly registry: WorkerRegistry;
  readonly metrics: RouterMetrics;
  readonly clock: Clock;
  readonly pool?: { readonly grpcAddress: string; readonly httpAddress?: string } | undefined;
}

/** The roofs and ridge the dashboard draws: this machine's static figures (DESIGN.md §7, "§7" on the charts), fp32 math. */
const MACHINE = thisMachineDevice(THIS_MACHINE_DESIGN_PROFILE);

export function dashboardRoutes(deps: DashboardDeps): Record<string, HttpRoute> {
  let hub: DashboardHub | undefined;
  const getHub = (): DashboardHub => {
    if (hub !== undefined) return hub;
    const { modelName, weightPrecision } = deps.metrics.served;
    const pool = poolStatsReader(deps.pool?.grpcAddress);
    const gather = async (): Promise<TickInput> => ({
      atSeconds: deps.clock.nowSeconds(),
      totals: deps.metrics.totals.snapshot(),
      workers: deps.registry.table.entries().map((e) => ({
        workerId: e.registration.workerId,
        role: e.registration.role,
        healthy: deps.registry.isHealthy(e),
        deviceId: e.registration.deviceId,
        kvCapacityBytes: e.registration.kvCapacityBytes,
        load: e.load,
      })),
      pool: await pool.read(),
    });
    hub = new DashboardHub({
      state: new DashboardState(servedModel(modelName, weightPrecision, MACHINE)),
      charter: new DashboardCharter({
        name: 'this machine (§7)',
        peakFlopsPerSecond: MACHINE.peakFlopsPerSecond.fp32 ?? 0,
        bandwidthBytesPerSecond: MACHINE.memoryBandwidthBytesPerSecond,
      }),
      gather,
      nowSeconds: () => deps.clock.nowSeconds(),
      onIdle: () => pool.close(),
    });
    return hub;
  };
  const page = dashboardPage(deps.metrics.served.modelName);
  const send = (res: ServerResponse, type: string, body: string): void => {
    const headers = { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': DASHBOARD_CSP };
    res.writeHead(200, headers).end(body);
  };
  return {
    'GET /dashboard': (_req, res) => send(res, 'text/html; charset=utf-8', page),
    'GET /dashboard/events': (req, res) => getHub().subscribe(req, res),
    'GET /dashboard/snapshot': async (_req, res) => {
      send(res, 'application/json', await getHub().snapshot());
    },
    'GET /v1/oicf/sd': sdRoute(deps),
  };
}
