// `oicf cluster up` in the background, supervised: a detached supervisor process (supervisor-main.ts)
// launches the services as its children and restarts any that crash; this returns once it reports the
// cluster ready. `stopSupervisedCluster` is `cluster down`: the supervisor first (so nothing is restarted
// while stopping; it stops its services), then whatever the state still lists as running.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClusterConfig } from './cluster-config.js';
import { type ClusterState, readClusterState } from './cluster-state.js';
import { LaunchError, REPO_ROOT } from './launcher.js';
import { removeScrapeTargets } from './scrape-targets-file.js';
import { type StopOptions, type StopOutcome, serviceStatus, stopServices } from './service-process.js';

export const SUPERVISOR_MAIN = 'packages/cluster/src/supervisor-main.ts';

export interface SupervisedLaunchOptions {
  readonly runDir: string;
  readonly onProgress?: (message: string) => void;
  /** Seconds to wait for the whole cluster to be ready (default 180). */
  readonly timeoutSeconds?: number;
}

export async function launchSupervisedCluster(
  config: ClusterConfig,
  options: SupervisedLaunchOptions,
): Promise<ClusterState> {
  const runDir = resolve(options.runDir);
  mkdirSync(runDir, { recursive: true });
  const configFile = join(runDir, 'cluster.json');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const logFile = join(runDir, 'supervisor.log');
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, SUPERVISOR_MAIN), configFile, runDir], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, OICF_PARENT_PID: '' },
  });
  closeSync(out);
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + (options.timeoutSeconds ?? 180) * 1000;
  let seen = 0;
  while (Date.now() < deadline) {
    const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n') : [];
    for (; seen < lines.length - 1; seen++) {
      const text = lines[seen] as string;
      let rec: { event?: string; message?: string; error?: string } = {};
      try {
        rec = JSON.parse(text) as typeof rec;
      } catch {
        continue; // a service's stray line
      }
      if (rec.event === 'progress' && rec.message !== undefined) options.onProgress?.(rec.message);
      if (rec.event === 'supervisor_failed') throw new LaunchError(rec.error ?? 'the supervisor failed');
      if (rec.event === 'supervising') {
        const state = readClusterState(runDir);
        if (state === undefined)
          throw new LaunchError(`the supervisor reported ready but wrote no ${runDir}/state.json`);
        return state;
      }
    }
    if (exited !== null) {
      throw new LaunchError(`the supervisor exited with code ${exited} before the cluster was ready; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LaunchError(`the cluster was not ready within ${options.timeoutSeconds ?? 180} s; see ${logFile}`);
}

/** Stops the supervisor (it stops its services), then any service the state still lists as running. */
export async function stopSupervisedCluster(
  state: ClusterState,
  options: StopOptions = {},
): Promise<StopOutcome & { supervisorStopped: boolean }> {
  let supervisorStopped = false;
  const runningBefore = state.services.filter((s) => serviceStatus(s) === 'running').map((s) => s.name);
  const sup = state.supervisor;
  if (sup !== undefined && serviceStatus({ name: 'supervisor', ...sup }) === 'running') {
    const outcome = await stopServices([{ name: 'supervisor', ...sup }], {
      ...options,
      graceSeconds: Math.max(options.graceSeconds ?? 15, 20),
    });
    supervisorStopped = outcome.stopped.length > 0;
  }
  // Re-read: the supervisor may have restarted services (new PIDs) before it stopped.
  const latest = readClusterState(state.runDir) ?? state;
  const outcome = await stopServices([...latest.services].reverse(), options);
  // Services the supervisor stopped on its way out count as stopped, not as "had already exited".
  const byOwner = runningBefore.filter((n) => outcome.alreadyExited.includes(n));
  // Nothing left to scrape: the cluster's file_sd entries go too (they would list dead ports).
  if (outcome.survived.length === 0) removeScrapeTargets(state.runDir);
  return {
    ...outcome,
    stopped: [...outcome.stopped, ...byOwner],
    alreadyExited: outcome.alreadyExited.filter((n) => !byOwner.includes(n)),
    supervisorStopped,
  };
}
