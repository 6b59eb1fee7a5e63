// How `oicf cluster up` starts a cluster, supervised either way (docs/reliability.md, "supervision"):
// in the foreground this process supervises its services (Ctrl-C stops both); in the background a detached
// supervisor process does (`cluster down` stops it first). A crashed service comes back on its ports, and
// state.json always lists the live PIDs.
import {
  type ClusterConfig,
  type LaunchedService,
  launchCluster,
  launchSupervisedCluster,
  REPO_ROOT,
  readClusterState,
  Supervisor,
  stopServices,
} from '@oicf/cluster';

export interface StartedCluster {
  readonly services: readonly LaunchedService[];
  readonly routerUrl: string;
  /** Foreground only: stops supervising, then the services (their latest PIDs). */
  stop(): Promise<void>;
}

export async function startSupervisedCluster(
  config: ClusterConfig,
  options: {
    readonly runDir: string;
    readonly foreground: boolean;
    readonly signal?: AbortSignal;
    readonly onProgress: (message: string) => void;
  },
): Promise<StartedCluster> {
  if (!options.foreground) {
    const state = await launchSupervisedCluster(config, { runDir: options.runDir, onProgress: options.onProgress });
    const router = state.services.find((s) => s.app === 'router');
    return { services: state.services, routerUrl: router?.endpoints.http ?? '', stop: async () => {} };
  }
  const cluster = await launchCluster(config, {
    runDir: options.runDir,
    onProgress: options.onProgress,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const supervisor = new Supervisor(cluster, {
    cwd: REPO_ROOT,
    onEvent: (e) => options.onProgress(`supervisor: ${JSON.stringify(e)}`),
  });
  supervisor.start();
  return {
    services: cluster.services,
    routerUrl: cluster.routerUrl,
    stop: async () => {
      await supervisor.stop();
      const latest = readClusterState(cluster.runDir) ?? supervisor.state;
      await stopServices([...latest.services].reverse());
    },
  };
}
