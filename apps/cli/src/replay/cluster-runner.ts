import type { ScrapeTarget } from '@oicf/report';
import { type ClusterConfig, parseClusterConfig } from '../cluster/cluster-config.js';
import { launchCluster } from '../cluster/launcher.js';

/**
 * How `oicf replay` gets a cluster when no --url is given. The port keeps the replay code apart
 * from the launcher (apps/cli/src/cluster); tests and other launchers can pass their own.
 */
export interface ClusterOverrides {
  /** Routing policy (`@oicf/sched` registry name). */
  readonly policy?: string;
  readonly mode?: 'disaggregated' | 'colocated';
  /** `<model>@<device>` both worker kinds pace themselves to. */
  readonly emulate?: string;
}

export interface LaunchedCluster {
  readonly routerUrl: string;
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** The effective configuration, recorded in the report. */
  readonly config: unknown;
  stop(): Promise<void>;
}

export interface ClusterLauncher {
  launch(
    overrides: ClusterOverrides,
    options: { readonly runDir: string; readonly onProgress: (message: string) => void; readonly signal: AbortSignal },
  ): Promise<LaunchedCluster>;
}

/** Applies overrides to a validated config; returns the errors when the result is invalid. */
export function applyOverrides(
  base: ClusterConfig,
  overrides: ClusterOverrides,
): { ok: true; value: ClusterConfig } | { ok: false; errors: string[] } {
  const merged = {
    ...base,
    ...(overrides.mode !== undefined ? { mode: overrides.mode } : {}),
    router: { ...base.router, ...(overrides.policy !== undefined ? { policy: overrides.policy } : {}) },
    prefill: { ...base.prefill, ...(overrides.emulate !== undefined ? { emulate: overrides.emulate } : {}) },
    decode: { ...base.decode, ...(overrides.emulate !== undefined ? { emulate: overrides.emulate } : {}) },
  };
  return parseClusterConfig(merged, 'cluster config with overrides');
}

/** Launches local clusters (one OS process per service) from `base` plus each run's overrides. */
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
