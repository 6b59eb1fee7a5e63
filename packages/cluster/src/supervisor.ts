// Supervision of a launched cluster (issue 14.2): every `pollSeconds` each service's PID is checked
// (serviceStatus: alive and still the process launched); a crashed one is restarted after a backoff
// (supervisor-policy.ts) with the same command line, environment and config, on the same ports (the config
// files are pinned to the ports the first launch bound), and its log appended to. state.json is rewritten
// with the new PID after every restart, so `cluster status` and `cluster down` always see live PIDs. A
// service that keeps crashing is given up on and marked `failed` in the state.
//
// The supervisor is the restarted services' parent (OICF_PARENT_PID): if it dies, they exit too.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { CLUSTER_AUTH_FILE_ENV } from '@oicf/transport';
import { credentialsFile } from './cluster-auth.js';
import { type ClusterState, type LaunchedService, type ServiceEndpoints, writeClusterState } from './cluster-state.js';
import { serviceStatus } from './service-process.js';
import { listeningEndpoints, StartDeadline } from './start-deadline.js';
import { DEFAULT_RESTART_POLICY, decideRestart, type RestartPolicy } from './supervisor-policy.js';

export interface SupervisorOptions {
  /** Seconds between PID checks (default 0.25). */
  readonly pollSeconds?: number;
  readonly policy?: RestartPolicy;
  /** Seconds a restarted service has to print its `listening` line (default 60). */
  readonly startTimeoutSeconds?: number;
  /** Working directory of restarted services (the launcher's: the repository root). */
  readonly cwd: string;
  /** One JSON-able event per restart, give-up or failure (default: none). */
  readonly onEvent?: (event: Record<string, unknown>) => void;
}

interface Tracked {
  restartsAtSeconds: number[];
  upSinceSeconds: number;
  restarting: boolean;
  child: ChildProcess | undefined;
}

const nowSeconds = () => performance.now() / 1000;
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

/** Port of an endpoint (`http://h:p`, `ws://h:p`, `h:p`), or undefined. */
export function portOf(endpoint: string | undefined): number | undefined {
  if (endpoint === undefined) return undefined;
  const m = /:(\d{1,5})\/?$/.exec(endpoint);
  return m === null ? undefined : Number(m[1]);
}

/** Rewrites a service's config file to bind the ports it bound at launch (so a restart takes the same ones). */
export function pinPorts(service: LaunchedService): void {
  const config = JSON.parse(readFileSync(service.configFile, 'utf8')) as Record<string, unknown>;
  const ports = {
    httpPort: portOf(service.endpoints.http),
    grpcPort: portOf(service.endpoints.grpc),
    wsPort: portOf(service.endpoints.ws),
  };
  for (const [key, port] of Object.entries(ports)) if (port !== undefined) config[key] = port;
  writeFileSync(service.configFile, `${JSON.stringify(config, null, 2)}\n`);
}

export class Supervisor {
  private current: ClusterState;
  private readonly tracked = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly restarts = new Set<Promise<void>>();

  constructor(
    state: ClusterState,
    private readonly options: SupervisorOptions,
  ) {
    this.current = state;
    const t = nowSeconds();
    for (const s of state.services) {
      this.tracked.set(s.name, { restartsAtSeconds: [], upSinceSeconds: t, restarting: false, child: undefined });
    }
  }

  get state(): ClusterState {
    return this.current;
  }

  /** Pins every service's ports, records the supervisor in state.json and starts watching. */
  start(): void {
    for (const s of this.current.services) pinPorts(s);
    this.current = { ...this.current, supervisor: { pid: process.pid, commandLine: process.argv } };
    writeClusterState(this.current);
    this.timer = setInterval(() => this.poll(), (this.options.pollSeconds ?? 0.25) * 1000);
  }

  /** Stops watching and waits for restarts in progress (a service started meanwhile stays in the state). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await Promise.allSettled([...this.restarts]);
  }

  private poll(): void {
    if (this.stopping) return;
    for (const s of this.current.services) {
      const t = this.tracked.get(s.name);
      if (t === undefined || t.restarting || s.failed !== undefined) continue;
      if (serviceStatus(s) === 'running') continue;
      t.restarting = true;
      const work = this.recover(s.name, t).finally(() => {
        t.restarting = false;
        this.restarts.delete(work);
      });
      this.restarts.add(work);
    }
  }

  private async recover(name: string, t: Tracked): Promise<void> {
    const crashedAt = nowSeconds();
    const decision = decideRestart(t, crashedAt, this.options.policy ?? DEFAULT_RESTART_POLICY);
    if (decision.kind === 'give-up') {
      this.update(name, { failed: decision.reason });
      this.options.onEvent?.({ event: 'service_failed', service: name, reason: decision.reason });
      return;
    }
    this.options.onEvent?.({ event: 'service_exited', service: name, restartInSeconds: decision.afterSeconds });
    await sleep(decision.afterSeconds);
    if (this.stopping) return;
    const service = this.current.services.find((s) => s.name === name) as LaunchedService;
    t.restartsAtSeconds.push(nowSeconds());
    try {
      const { pid, endpoints, child } = await this.spawnAgain(service);
      t.child = child;
      t.upSinceSeconds = nowSeconds();
      this.update(name, { pid, endpoints, restarts: (service.restarts ?? 0) + 1 });
      this.options.onEvent?.({ event: 'service_restarted', service: name, pid, attempt: decision.attempt, endpoints });
    } catch (err) {
      // The next poll sees it still down and backs off further.
      this.options.onEvent?.({ event: 'restart_failed', service: name, error: (err as Error).message });
    }
  }

  private update(name: string, change: Partial<LaunchedService>): void {
    this.current = {
      ...this.current,
      services: this.current.services.map((s) => (s.name === name ? { ...s, ...change } : s)),
    };
    writeClusterState(this.current);
  }

  /** Spawns the service's recorded command line again and waits for its `listening` line (in its log). */
  private async spawnAgain(
    s: LaunchedService,
  ): Promise<{ pid: number; endpoints: ServiceEndpoints; child: ChildProcess }> {
    const argv = s.commandLine;
    if (argv === undefined || argv.length === 0) throw new Error(`${s.name}: no command line recorded`);
    const offset = existsSync(s.logFile) ? statSync(s.logFile).size : 0;
    const out = openSync(s.logFile, 'a');
    const auth = credentialsFile(this.current.runDir, s.name);
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: this.options.cwd,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        OICF_PARENT_PID: String(process.pid),
        ...(existsSync(auth) ? { [CLUSTER_AUTH_FILE_ENV]: auth } : {}),
      },
    });
    closeSync(out);
    if (child.pid === undefined) throw new Error(`could not start ${s.name}`);
    let exited: number | null = null;
    child.once('exit', (code) => {
      exited = code ?? -1;
    });
    const deadline = new StartDeadline(this.options.startTimeoutSeconds ?? 60, nowSeconds());
    for (;;) {
      const text = readFileSync(s.logFile).subarray(offset).toString('utf8');
      const endpoints = listeningEndpoints(text);
      if (endpoints !== undefined) return { pid: child.pid, endpoints, child };
      if (exited !== null) throw new Error(`${s.name} exited with code ${exited} before listening (see ${s.logFile})`);
      const giveUp = deadline.check(text.length, nowSeconds());
      if (giveUp !== undefined) {
        child.kill('SIGKILL');
        throw new Error(`${deadline.message(s.name, giveUp)} (see ${s.logFile})`);
      }
      await sleep(0.05);
    }
  }
}
