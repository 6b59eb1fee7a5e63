// The fast door in front of a router service's HTTP port, serving the two generation routes with the
// handlers and API-key rules node:http's routes use (http-generate.ts, api-auth.ts guardRoute).
import type { RunningService } from '@oicf/transport';
import type { ApiAuth } from '../api-auth.js';
import { generateReply, type HttpGenerateDeps } from '../http-generate.js';
import { FastDoor } from './fast-door.js';

export { FastDoor };

export function installFastDoor(service: RunningService, deps: HttpGenerateDeps, auth: ApiAuth): FastDoor {
  return FastDoor.install(service.httpServer, {
    routes: new Map([
      ['/v1/completions', generateReply('completion', deps)],
      ['/v1/chat/completions', generateReply('chat', deps)],
    ]),
    maxBodyBytes: deps.maxBodyBytes,
    nowSeconds: () => deps.clock.nowSeconds(),
    serving: () => service.state() === 'serving',
    // As guardRoute: a refused key is node:http's 401, a client at its limit node:http's 429.
    admit: (authorization, address) =>
      auth.check(authorization) === undefined ? auth.acquire(authorization, address) : undefined,
  });
}
