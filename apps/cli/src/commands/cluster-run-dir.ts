import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import {
  type ClusterConfig,
  defaultClusterConfig,
  liveRunDirs,
  type RunDirRegistry,
  readClusterState,
  runDirRegistryFile,
} from '@oicf/cluster';
import { POOL_TIERS } from '@oicf/core';
import { formatBytes } from '@oicf/plot';
import type { CommandIo } from '../command.js';

/** Where `cluster up` keeps a cluster when no --run-dir is given (relative to the working directory). */
export const DEFAULT_RUN_DIR = join('.oicf', 'cluster');

/** The user's registry of run dirs (OICF_STATE_DIR, XDG_STATE_HOME or ~/.local/state, see @oicf/cluster). */
export function userRunDirRegistry(): RunDirRegistry {
  return { file: runDirRegistryFile(process.env, homedir()) };
}

export type RunDirChoice =
  | { readonly kind: 'found'; readonly runDir: string; readonly note: string | undefined }
  | { readonly kind: 'none'; readonly message: string; readonly code: number };

/**
 * Which cluster `cluster status` / `cluster down` act on: the run dir given (as `--run-dir <dir>` or as the
 * argument), else the default one when it holds a cluster's state, else the one live cluster the registry
 * knows (started elsewhere with --run-dir). Several live ones: the caller must say which (exit 2).
 */
export function chooseRunDir(given: string | undefined, io: CommandIo, registry: RunDirRegistry): RunDirChoice {
  if (given !== undefined) return { kind: 'found', runDir: resolve(io.cwd, given), note: undefined };
  const fallback = resolve(io.cwd, DEFAULT_RUN_DIR);
  if (readClusterState(fallback) !== undefined) return { kind: 'found', runDir: fallback, note: undefined };
  const live = liveRunDirs(registry);
  if (live.length === 1) {
    const runDir = live[0] as string;
    return {
      kind: 'found',
      runDir,
      note: `using the cluster started in ${runDir} (the only live one in ${registry.file})`,
    };
  }
  if (live.length > 1) {
    return {
      kind: 'none',
      code: 2,
      message: `${live.length} clusters are running; say which with --run-dir <dir> (or as the argument):\n  ${live.join('\n  ')}`,
    };
  }
  return {
    kind: 'none',
    code: 1,
    message: `no cluster state in ${fallback}, and no live cluster in ${registry.file} (start one with 'oicf cluster up', or give its run dir)`,
  };
}

/** The built-in default cluster in one line, from the config schema's defaults (so help cannot drift). */
export function describeDefaults(c: ClusterConfig = defaultClusterConfig()): string {
  // The pool's tiers with capacity, named by @oicf/core (the one owner of tier identity): "512 MiB dram".
  const tiers = POOL_TIERS.filter((t) => c.pool.tiers[t.configKey].capacityBytes > 0)
    .map((t) => `${formatBytes(c.pool.tiers[t.configKey].capacityBytes)} ${t.id}`)
    .join(' + ');
  const pool = c.pool.enabled ? `1 KV pool (${tiers})` : 'no KV pool';
  return (
    `1 router (policy ${c.router.policy}), ${c.prefill.count} prefill and ${c.decode.count} decode workers ` +
    `serving ${c.model} (${c.weightPrecision}, ${c.blockTokens}-token KV blocks, ${formatBytes(c.decode.kvCapacityBytes)} ` +
    `of KV per decode worker, ${c.decode.maxContextTokens}-token context), ${pool}, ${c.mode}, all on ${c.host}`
  );
}
