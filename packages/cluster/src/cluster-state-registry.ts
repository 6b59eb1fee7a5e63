import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readClusterState } from './cluster-state.js';
import { serviceStatus } from './service-process.js';

/**
 * The run dirs of the clusters `oicf cluster up` started, wherever they were (`--run-dir`), in one small
 * JSON file per user: `cluster status` and `cluster down` look there when the run dir is not given and the
 * default one holds no cluster. Entries whose cluster is gone (no state.json, or no service of it still
 * running) are pruned whenever the list is read, so the file stays as small as the set of live clusters.
 *
 *   { "runDirs": ["/abs/run/dir", …] }
 */
export interface RunDirRegistry {
  readonly file: string;
}

/**
 * Where the registry lives: `$OICF_STATE_DIR/clusters.json`, else `$XDG_STATE_HOME/oicf/clusters.json`, else
 * `<home>/.local/state/oicf/clusters.json` (the XDG default). The host passes its environment in.
 */
export function runDirRegistryFile(env: Readonly<Record<string, string | undefined>>, home: string): string {
  if (env.OICF_STATE_DIR) return join(env.OICF_STATE_DIR, 'clusters.json');
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'oicf', 'clusters.json');
}

/** Records a run dir (absolute; idempotent). */
export function registerRunDir(registry: RunDirRegistry, runDir: string): void {
  const dirs = read(registry);
  const abs = resolve(runDir);
  if (!dirs.includes(abs)) write(registry, [...dirs, abs]);
}

/** Forgets a run dir (its cluster was stopped). */
export function unregisterRunDir(registry: RunDirRegistry, runDir: string): void {
  const dirs = read(registry);
  const abs = resolve(runDir);
  if (dirs.includes(abs))
    write(
      registry,
      dirs.filter((d) => d !== abs),
    );
}

/** Registered run dirs with a cluster still running there, in registration order; prunes the others. */
export function liveRunDirs(registry: RunDirRegistry, isLive: (runDir: string) => boolean = hasLiveCluster): string[] {
  const dirs = read(registry);
  const live = dirs.filter(isLive);
  if (live.length !== dirs.length) write(registry, live);
  return live;
}

/** A state.json whose services include one still running (the PID is the process the launcher started). */
export function hasLiveCluster(runDir: string): boolean {
  try {
    return readClusterState(runDir)?.services.some((s) => serviceStatus(s) === 'running') ?? false;
  } catch {
    return false; // an unreadable state file is no cluster we can manage
  }
}

function read(registry: RunDirRegistry): string[] {
  if (!existsSync(registry.file)) return [];
  try {
    const body = JSON.parse(readFileSync(registry.file, 'utf8')) as { runDirs?: unknown };
    return Array.isArray(body.runDirs) ? body.runDirs.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return []; // a damaged registry is rebuilt from the next registration
  }
}

function write(registry: RunDirRegistry, runDirs: readonly string[]): void {
  mkdirSync(dirname(registry.file), { recursive: true });
  // Write then rename: a concurrent reader sees the old list or the new one, never half of one.
  const tmp = `${registry.file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ runDirs }, null, 2)}\n`);
  renameSync(tmp, registry.file);
}
