// The router's keepalive to its kv-pool (docs/reliability.md): a Health call every `intervalSeconds`, so the
// pool knows its router is alive (it exits after its routerGraceSeconds of silence instead of running
// orphaned), and the router logs the pool going down and coming back (a pool outage makes every request
// recompute: lookups and leases fail as misses).
import { PoolControl } from '@oicf/pool-client';
import type { Logger } from '../logger.js';

export function startPoolKeepalive(grpcAddress: string, intervalSeconds: number, log: Logger): { stop(): void } {
  const control = new PoolControl(grpcAddress, { timeoutSeconds: Math.max(0.5, intervalSeconds) });
  let up: boolean | undefined;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await control.health();
      if (up === false) log.info('pool_reachable', { pool: grpcAddress });
      up = true;
    } catch (err) {
      if (up !== false)
        log.warn('pool_unreachable', {
          pool: grpcAddress,
          error: (err as Error).message,
          note: 'requests recompute until it is back',
        });
      up = false;
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalSeconds * 1000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      control.close();
    },
  };
}
