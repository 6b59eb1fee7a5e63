import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ScrapeRole, type ScrapeTarget, scrapeTargetGroups } from '@oicf/metrics';
import type { ClusterState, LaunchedService } from './cluster-state.js';

/**
 * Prometheus `file_sd` files for a local cluster, so a stock Prometheus finds every service without hand
 * edits (docs/metrics.md "Scraping a local cluster"). `oicf cluster up` writes the same target groups twice:
 *
 *   <runDir>/prometheus-targets.json                        beside state.json, for this run
 *   <repo>/.oicf/prometheus/targets/cluster-<hash>.json     the stable place deploy/prometheus/prometheus.local.yml
 *                                                           reads (`../../.oicf/prometheus/targets/*.json`),
 *                                                           one file per run directory (hash of its path)
 *
 * and removes the stable one when the cluster stops, so Prometheus drops the targets. Files are replaced by
 * rename, so Prometheus never reads half a file.
 */

export const RUN_DIR_TARGETS_FILE = 'prometheus-targets.json';

/** Where the shipped local Prometheus config looks (the repository's .oicf/, git-ignored). */
export const STABLE_TARGETS_DIR = fileURLToPath(new URL('../../../.oicf/prometheus/targets', import.meta.url));

/** A service's role label from the app it runs (decode workers of a colocated cluster do both phases). */
export function scrapeRole(app: LaunchedService['app'], mode: 'disaggregated' | 'colocated'): ScrapeRole {
  if (app === 'router') return 'router';
  if (app === 'kv-pool') return 'kv-pool';
  if (app === 'prefill-worker') return 'prefill';
  return mode === 'colocated' ? 'both' : 'decode';
}

/** The cluster's targets: every service's HTTP port, labelled service, role, worker_id (workers) and cluster. */
export function clusterScrapeTargets(
  state: Pick<ClusterState, 'runDir' | 'services'>,
  mode: 'disaggregated' | 'colocated',
): ScrapeTarget[] {
  return state.services.map((s) => {
    const role = scrapeRole(s.app, mode);
    const isWorker = s.app === 'prefill-worker' || s.app === 'decode-worker';
    return {
      address: s.endpoints.http,
      service: s.name,
      role,
      ...(isWorker ? { workerId: s.name } : {}),
      cluster: resolve(state.runDir),
    };
  });
}

export function stableTargetsFile(runDir: string, dir: string = STABLE_TARGETS_DIR): string {
  const hash = createHash('sha256').update(resolve(runDir)).digest('hex').slice(0, 12);
  return join(dir, `cluster-${hash}.json`);
}

/** Writes both files; returns their paths (run directory's first). */
export function writeScrapeTargets(
  state: Pick<ClusterState, 'runDir' | 'services'>,
  mode: 'disaggregated' | 'colocated',
  dir: string = STABLE_TARGETS_DIR,
): string[] {
  const text = `${JSON.stringify(scrapeTargetGroups(clusterScrapeTargets(state, mode)), null, 2)}\n`;
  const paths = [join(resolve(state.runDir), RUN_DIR_TARGETS_FILE), stableTargetsFile(state.runDir, dir)];
  for (const path of paths) {
    mkdirSync(resolve(path, '..'), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  }
  return paths;
}

/** Removes the stable file of `runDir` (the run directory's copy stays with its logs). Missing is fine. */
export function removeScrapeTargets(runDir: string, dir: string = STABLE_TARGETS_DIR): void {
  rmSync(stableTargetsFile(runDir, dir), { force: true });
}
