import type { ClusterConfig } from './cluster-config.js';
import { launchCluster } from './launcher.js';
import { applyOverrides, type ClusterOverrides } from './overrides.js';

/**
 * The port through which a caller (`oicf replay`) gets a cluster to run against, one per set of
 * overrides; `localClusterLauncher` launches real local clusters (one OS process per service), and
 * tests pass their own.
 */
export interface LaunchedCluster {
  readonly routerUrl: string;
  /** Every service's `/metrics`, named after the service (router, kv-pool, prefill-0, …). */
  readonly scrapeTargets: readonly { readonly name: string; readonly url: string }[];
  /** The effective configuration, recorded in reports. */
  readonly config: unknown;
  stop(): Promise<void>;
}

export interface ClusterLauncher {
  launch(
    overrides: ClusterOverrides,
    options: { readonly runDir: string; readonly onProgress: (message: string) => void; readonly signal: AbortSignal },
  ): Promise<LaunchedCluster>;
}

/** Launches local clusters from `base` plus each run's overrides; an invalid result throws its errors. */
export function localClusterLauncher(base: ClusterConfig): ClusterLauncher {
  return {
    async launch(overrides, options) {
      const config = applyOverrides(base, overrides);
      if (!config.ok) throw new Error(config.errors.join('\n'));
      const cluster = await launchCluster(config.value, {
        runDir: options.runDir,
        onProgress: options.onProgress,
        signal: options.signal,
      });
      return {
        routerUrl: cluster.routerUrl,
        scrapeTargets: cluster.services.map((s) => ({ name: s.name, url: `${s.endpoints.http}/metrics` })),
        config: config.value,
        stop: () => cluster.stop(),
      };
    },
  };
}
