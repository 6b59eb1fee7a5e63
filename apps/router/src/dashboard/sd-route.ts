// GET /v1/oicf/sd: Prometheus http_sd (a JSON list of target groups), so a Prometheus pointed at the router
// finds every service of the cluster: the router itself, the kv-pool, and every registered worker that
// announced an HTTP address. The label scheme is @oicf/metrics scrape-targets.ts, the same as the file_sd
// files `oicf cluster up` writes (service, role, worker_id). Unhealthy workers stay listed (Prometheus then
// shows them down) until the registry drops them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ScrapeRole, type ScrapeTarget, scrapeTargetGroups } from '@oicf/metrics';
import type { WorkerRegistry } from '../registry/registry.js';

export interface SdRouteDeps {
  readonly registry: WorkerRegistry;
  readonly pool?: { readonly httpAddress?: string } | undefined;
}

/** The router's own target: the address the request came in on (the one Prometheus can reach). */
function selfAddress(req: IncomingMessage): string | undefined {
  const { localAddress, localPort } = req.socket;
  if (localAddress === undefined || localPort === undefined) return undefined;
  const host = localAddress.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
  return host.includes(':') ? `[${host}]:${localPort}` : `${host}:${localPort}`;
}

export function sdTargets(deps: SdRouteDeps, self: string | undefined): ScrapeTarget[] {
  const targets: ScrapeTarget[] = [];
  if (self !== undefined) targets.push({ address: self, service: 'router', role: 'router' });
  const poolHttp = deps.pool?.httpAddress;
  if (poolHttp) targets.push({ address: poolHttp, service: 'kv-pool', role: 'kv-pool' });
  for (const e of deps.registry.table.entries()) {
    const r = e.registration;
    if (r.httpAddress === '') continue;
    const role: ScrapeRole = r.role === 'prefill' ? 'prefill' : r.role === 'both' ? 'both' : 'decode';
    targets.push({ address: r.httpAddress, service: r.workerId, role, workerId: r.workerId });
  }
  return targets;
}

export function sdRoute(deps: SdRouteDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const body = scrapeTargetGroups(sdTargets(deps, selfAddress(req)));
    res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
  };
}
