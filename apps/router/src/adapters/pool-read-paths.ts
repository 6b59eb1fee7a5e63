// Keeps the cost model's pool tier priors in step with what the pool says it models. The pool reports
// each tier's read path in Stats (its configured figures, else the `@oicf/core` tier's); the router reads
// them once before it serves and then every `poolReadPathsRefreshSeconds`, so a pool that was down at the
// router's start, restarted with other figures, or came back after an outage is priced by what it now
// models. Until a pool reports, and for tiers it does not report, each tier's `@oicf/core` figures stand.
// A failed or empty report keeps the priors in use (a pool outage must not change how reads are priced)
// and is logged once per change of state, not on every poll.
import { catalogPoolTierPaths, type TransferLinks, type TransferPath } from '@oicf/sched';
import type { Logger } from '../logger.js';
import { noPool, type PoolPort } from './pool-client.js';

export class PoolReadPaths {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Whether the last poll got a report (undefined before the first), to log transitions once. */
  private reporting: boolean | undefined;
  private polling = false;

  constructor(
    private readonly pool: PoolPort,
    private readonly links: TransferLinks,
    private readonly log: Logger,
  ) {}

  /**
   * Asks the pool for its tiers' read paths and makes them the priors (catalog figures for tiers it does
   * not report). Returns whether the priors changed. Never throws.
   */
  async refresh(): Promise<boolean> {
    if (this.pool === noPool) return false;
    let reported: ReadonlyMap<string, TransferPath>;
    try {
      reported = await this.pool.readPaths();
    } catch (err) {
      this.unavailable(`the pool did not report its tier read paths: ${(err as Error).message}`);
      return false;
    }
    if (reported.size === 0) {
      this.unavailable('the pool reported no tier read paths');
      return false;
    }
    if (this.reporting === false)
      this.log.info('pool_tier_paths_reported', { note: 'the pool reports its tiers again' });
    this.reporting = true;
    const next: Record<string, TransferPath> = { ...catalogPoolTierPaths(), ...Object.fromEntries(reported) };
    if (samePaths(next, this.links.tierPriors())) return false;
    this.links.setTierPriors(next);
    this.log.info('pool_tier_paths_updated', { tierPaths: next });
    return true;
  }

  /** Polls every `intervalSeconds` (one poll at a time; the timer does not keep the process alive). */
  start(intervalSeconds: number): void {
    if (this.pool === noPool || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.polling) return;
      this.polling = true;
      void this.refresh().finally(() => {
        this.polling = false;
      });
    }, intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private unavailable(reason: string): void {
    if (this.reporting === undefined) {
      const note = 'pricing pool reads with the @oicf/core tier figures until the pool reports its own';
      this.log.warn('pool_tier_paths_from_catalog', { reason, note });
    } else if (this.reporting) {
      this.log.warn('pool_tier_paths_unavailable', { reason, note: 'keeping the read paths it last reported' });
    }
    this.reporting = false;
  }
}

function samePaths(a: Readonly<Record<string, TransferPath>>, b: Readonly<Record<string, TransferPath>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(
    (k) =>
      a[k]?.bandwidthBytesPerSecond === b[k]?.bandwidthBytesPerSecond && a[k]?.latencySeconds === b[k]?.latencySeconds,
  );
}
