import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  applyOverrides,
  clearClusterState,
  EMULATE_NONE,
  LaunchError,
  launchCluster,
  parseClusterConfig,
  type RunningCluster,
  readClusterState,
  registerRunDir,
  removeScrapeTargets,
  serviceStatus,
  stopServices,
  unregisterRunDir,
  workersTable,
} from '@oicf/cluster';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { parseFlags } from '../flags.js';
import { chooseRunDir, DEFAULT_RUN_DIR, describeDefaults, userRunDirRegistry } from './cluster-run-dir.js';

const UP_USAGE = `Usage: oicf cluster up [--config <file.json>] [--policy <name>] [--mode <m>] [--emulate <model@device>]
                       [--run-dir <dir>] [--foreground]

Launches the router, prefill workers, decode workers and the KV pool as separate OS processes,
waits until every service is ready, and prints the endpoints. Without --foreground the services
keep running after this command returns (stop them with 'oicf cluster down'); with it, Ctrl-C
stops them. The run dir is remembered (see 'oicf cluster status --help'), so status and down
find a cluster started with --run-dir from anywhere.

Default (no --config, or a config that leaves a field out): ${describeDefaults()}.
deploy/configs/cluster.json spells out exactly these defaults, field by field, except the router's
HTTP port (8080 there, to point clients at; 0 = any free port by default).

Options:
  --config <file>    cluster config (JSON; every field optional)
  --policy <name>    routing policy, over the config's (round-robin, least-loaded, prefix-aware, oicf-cost)
  --mode <m>         disaggregated or colocated, over the config's
  --emulate <m@d>    pace every worker to a catalog model on a catalog device, e.g. llama-3.1-70b@h100
                     (none: no pacing, over the config's)
  --run-dir <dir>    where configs, logs, pool data and state.json go (default ${DEFAULT_RUN_DIR})
  --foreground       stay attached; Ctrl-C stops the cluster
`;

const WHICH = `Which cluster: the run dir given (--run-dir <dir>, or as the argument); else ${DEFAULT_RUN_DIR} in
this directory when it holds one; else the one live cluster in the user's registry of run dirs
($OICF_STATE_DIR/clusters.json, else $XDG_STATE_HOME/oicf/clusters.json, else
~/.local/state/oicf/clusters.json; 'cluster up' records every run dir there, dead ones are pruned).
With several live clusters, name one.`;

const DOWN_USAGE = `Usage: oicf cluster down [<run-dir>] [--run-dir <dir>]

Stops every service of the cluster (SIGTERM, then SIGKILL after 15 s) and removes its
state.json once none is left running. A recorded PID is signalled only while it is still the
process the launcher started (its /proc/<pid>/cmdline is compared where /proc exists).

${WHICH}
`;

const STATUS_USAGE = `Usage: oicf cluster status [<run-dir>] [--run-dir <dir>] [--json]

Shows each service of the cluster: pid, alive, ready, endpoints, and a table of the router's view
of its workers (role, healthy, running/waiting sequences, KV used/capacity). --json prints the
services and the router's raw GET /v1/oicf/workers answer instead.

${WHICH}
`;

function parseRunDirFlags(argv: string[], extra: Record<string, { type: 'boolean' | 'string' }>, positional: boolean) {
  // Values typed loosely: `extra` differs per subcommand.
  const parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] } = parseFlags({
    args: argv,
    options: { 'run-dir': { type: 'string' }, ...extra },
    allowPositionals: positional,
  });
  const flag = parsed.values['run-dir'] as string | undefined;
  if (parsed.positionals.length > 1 || (flag !== undefined && parsed.positionals.length > 0)) {
    throw new UsageError(
      `give one run dir (as --run-dir <dir> or as the argument), got ${[flag, ...parsed.positionals].filter(Boolean).join(', ')}`,
    );
  }
  return { given: flag ?? parsed.positionals[0], values: parsed.values };
}

/** `cluster up`: the run dir given, else the default. */
function runDirOf(argv: string[], io: CommandIo, extra: Record<string, { type: 'boolean' | 'string' }> = {}) {
  const { given, values } = parseRunDirFlags(argv, extra, false);
  return { runDir: resolve(io.cwd, given ?? DEFAULT_RUN_DIR), values };
}

export const clusterUpCommand: Command = {
  name: 'cluster up',
  summary: 'Launch a local cluster (router, prefill/decode workers, KV pool) as OS processes',
  usage: UP_USAGE,
  async run(argv, io) {
    const { runDir, values } = runDirOf(argv, io, {
      config: { type: 'string' },
      foreground: { type: 'boolean' },
      policy: { type: 'string' },
      mode: { type: 'string' },
      emulate: { type: 'string' },
    });
    let input: unknown = {};
    const file = values.config as string | undefined;
    if (file !== undefined) {
      try {
        input = JSON.parse(readFileSync(resolve(io.cwd, file), 'utf8'));
      } catch (err) {
        throw new UsageError(`cannot read config '${file}': ${(err as Error).message}`);
      }
    }
    const base = parseClusterConfig(input, file ?? 'cluster config');
    const mode = values.mode as string | undefined;
    if (mode !== undefined && mode !== 'disaggregated' && mode !== 'colocated') {
      throw new UsageError(`--mode must be disaggregated or colocated, got '${mode}'`);
    }
    const parsed = base.ok
      ? applyOverrides(base.value, {
          ...(values.policy !== undefined ? { policy: values.policy as string } : {}),
          ...(mode !== undefined ? { mode } : {}),
          ...(values.emulate !== undefined
            ? { emulate: values.emulate === EMULATE_NONE ? null : (values.emulate as string) }
            : {}),
        })
      : base;
    if (!parsed.ok) {
      io.stderr(
        `oicf cluster up: invalid config, ${parsed.errors.length} problem(s):\n  ${parsed.errors.join('\n  ')}\n`,
      );
      return 2;
    }
    const existing = readClusterState(runDir);
    if (existing?.services.some((s) => serviceStatus(s) === 'running')) {
      io.stderr(
        `oicf cluster up: a cluster is already running from ${runDir}; run 'oicf cluster down --run-dir ${runDir}' first\n`,
      );
      return 1;
    }
    const foreground = values.foreground === true;
    let cluster: RunningCluster;
    try {
      cluster = await launchCluster(parsed.value, {
        runDir,
        detached: !foreground,
        signal: io.signal,
        onProgress: (m) => io.stderr(`  ${m}\n`),
      });
    } catch (err) {
      if (err instanceof LaunchError) {
        io.stderr(`oicf cluster up: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    remember(io, 'register', runDir);
    const emulating = parsed.value.decode.emulate ?? parsed.value.prefill.emulate;
    io.stdout(
      `cluster ready (${parsed.value.mode}, policy ${parsed.value.router.policy}${emulating ? `, emulating ${emulating}` : ''}):\n`,
    );
    for (const s of cluster.services) {
      io.stdout(
        `  ${s.name.padEnd(10)} pid ${String(s.pid).padEnd(7)} http ${s.endpoints.http}${s.endpoints.grpc ? `  grpc ${s.endpoints.grpc}` : ''}${s.endpoints.ws ? `  ws ${s.endpoints.ws}` : ''}\n`,
      );
    }
    io.stdout(`OpenAI-compatible API: ${cluster.routerUrl}/v1   (logs: ${runDir})\n`);
    if (!foreground) return 0;
    io.stderr('Ctrl-C to stop\n');
    await new Promise<void>((r) => io.signal.addEventListener('abort', () => r(), { once: true }));
    await cluster.stop();
    remember(io, 'unregister', runDir);
    io.stderr('cluster stopped\n');
    return 0;
  },
};

/** Records or forgets a run dir in the user's registry; a registry that cannot be written only warns. */
function remember(io: CommandIo, what: 'register' | 'unregister', runDir: string): void {
  const registry = userRunDirRegistry();
  try {
    (what === 'register' ? registerRunDir : unregisterRunDir)(registry, runDir);
  } catch (err) {
    io.stderr(`warning: cannot update the cluster registry ${registry.file}: ${(err as Error).message}\n`);
  }
}

/** The cluster status/down act on (see WHICH), or the exit code after saying why there is none. */
function whichCluster(
  argv: string[],
  io: CommandIo,
  command: string,
  extra: Record<string, { type: 'boolean' | 'string' }> = {},
): { runDir: string; values: Record<string, string | boolean | undefined> } | number {
  const { given, values } = parseRunDirFlags(argv, extra, true);
  const choice = chooseRunDir(given, io, userRunDirRegistry());
  if (choice.kind === 'none') {
    io.stderr(`oicf ${command}: ${choice.message}\n`);
    return choice.code;
  }
  if (choice.note !== undefined) io.stderr(`oicf ${command}: ${choice.note}\n`);
  return { runDir: choice.runDir, values };
}

export const clusterDownCommand: Command = {
  name: 'cluster down',
  summary: 'Stop the local cluster started by cluster up',
  usage: DOWN_USAGE,
  async run(argv, io) {
    const which = whichCluster(argv, io, 'cluster down');
    if (typeof which === 'number') return which;
    const { runDir } = which;
    const state = readClusterState(runDir);
    if (!state) {
      io.stderr(`oicf cluster down: no cluster state in ${runDir}\n`);
      unregisterQuietly(runDir);
      return 1;
    }
    const outcome = await stopServices([...state.services].reverse());
    const parts = [`stopped ${outcome.stopped.length} service(s)`];
    if (outcome.alreadyExited.length > 0) parts.push(`${outcome.alreadyExited.length} had already exited`);
    if (outcome.notOurs.length > 0) {
      parts.push(
        `${outcome.notOurs.length} not signalled: their PID now belongs to another process (${outcome.notOurs.join(', ')})`,
      );
    }
    io.stdout(`${parts.join('; ')}\n`);
    if (outcome.survived.length > 0) {
      const pids = state.services.filter((s) => outcome.survived.includes(s.name)).map((s) => `${s.name} pid ${s.pid}`);
      io.stderr(`oicf cluster down: still running after SIGKILL: ${pids.join(', ')}; state kept in ${runDir}\n`);
      return 1;
    }
    clearClusterState(runDir);
    removeScrapeTargets(runDir);
    remember(io, 'unregister', runDir);
    return 0;
  },
};

function unregisterQuietly(runDir: string): void {
  try {
    unregisterRunDir(userRunDirRegistry(), runDir);
  } catch {
    // nothing recorded there, or a registry we cannot write: nothing to forget
  }
}

export const clusterStatusCommand: Command = {
  name: 'cluster status',
  summary: 'Show the local cluster’s services, readiness and worker load',
  usage: STATUS_USAGE,
  async run(argv, io) {
    const which = whichCluster(argv, io, 'cluster status', { json: { type: 'boolean' } });
    if (typeof which === 'number') return which;
    const { runDir, values } = which;
    const state = readClusterState(runDir);
    if (!state) {
      io.stderr(`oicf cluster status: no cluster state in ${runDir} (start one with 'oicf cluster up')\n`);
      return 1;
    }
    const rows = await Promise.all(
      state.services.map(async (s) => ({
        ...s,
        alive: serviceStatus(s) === 'running',
        ready: await ready(s.endpoints.http),
      })),
    );
    const router = state.services.find((s) => s.app === 'router');
    const workers = router ? await getJson(`${router.endpoints.http}/v1/oicf/workers`) : undefined;
    if (values.json === true) {
      io.stdout(`${JSON.stringify({ runDir, services: rows, workers }, null, 2)}\n`);
      return 0;
    }
    for (const r of rows) {
      io.stdout(
        `${r.name.padEnd(10)} pid ${String(r.pid).padEnd(7)} ${r.alive ? 'alive' : 'exited'}  ${r.ready ? 'ready    ' : 'not ready'}  ${r.endpoints.http}\n`,
      );
    }
    if (workers !== undefined) io.stdout(`\nrouter's workers:\n${workersTable(workers)}`);
    return rows.every((r) => r.alive && r.ready) ? 0 : 1;
  },
};

async function ready(http: string): Promise<boolean> {
  try {
    return (await fetch(`${http}/readyz`)).ok;
  } catch {
    return false;
  }
}

async function getJson(url: string): Promise<unknown> {
  try {
    const res = await fetch(url);
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}
