import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * What `oicf cluster up` leaves in `<runDir>/state.json` so that `cluster status` and `cluster down`
 * (other processes, later) find the services it started: names, PIDs, argv, endpoints, log files.
 */
export interface ServiceEndpoints {
  readonly http: string;
  readonly grpc?: string;
  readonly ws?: string;
}

export interface LaunchedService {
  /** e.g. "router", "kv-pool", "prefill-0", "decode-1". */
  readonly name: string;
  readonly app: 'router' | 'kv-pool' | 'prefill-worker' | 'decode-worker';
  readonly pid: number;
  readonly endpoints: ServiceEndpoints;
  readonly logFile: string;
  readonly configFile: string;
  /**
   * argv as spawned (`[execPath, ...args]`), compared with /proc/<pid>/cmdline before the PID is
   * signalled, so a PID reused by another process is left alone. Absent in older state files.
   */
  readonly commandLine?: readonly string[];
}

export interface ClusterState {
  readonly startedAtUnixMs: number;
  readonly runDir: string;
  readonly services: readonly LaunchedService[];
}

/** Writes `<state.runDir>/state.json`. */
export function writeClusterState(state: ClusterState): void {
  writeFileSync(clusterStateFile(state.runDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function clusterStateFile(runDir: string): string {
  return join(resolve(runDir), 'state.json');
}

export function readClusterState(runDir: string): ClusterState | undefined {
  const file = clusterStateFile(runDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
}

/** Removes state.json once nothing of the cluster is left running (a missing file is fine). */
export function clearClusterState(runDir: string): void {
  rmSync(clusterStateFile(runDir), { force: true });
}
