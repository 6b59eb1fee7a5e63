// Processes and clients of the router latency bench: services started from their build, the scripted
// worker bundled the same way, a keep-alive HTTP client, a request-plane client for the direct path, and a
// trivial HTTP server (the floor any Node HTTP service pays per request on this machine).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus as onlineCpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DecodeRequest, SequenceOutput__Output } from '@oicf/proto';
import { type Frame, OicfError, type PlaneCall, PlaneChannel } from '@oicf/transport';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const children: ChildProcess[] = [];

let childNiceAdjust = 0;

/** This process runs at nice `nice`: the children it starts from now on are started back at nice 0. */
export function startChildrenAtNiceZero(nice: number): void {
  childNiceAdjust = -nice;
}

let childSchedOther = false;

/**
 * Runs every thread of this process (and the threads it starts later, which inherit it) under SCHED_FIFO at
 * `priority` (1–99; `chrt -f -a -p`, needs CAP_SYS_NICE): the bench client is then woken first whenever a send
 * is due or a reply arrives, on a machine whose cores the router and the worker share. The children started
 * from then on are started back under SCHED_OTHER (`chrt -o 0`, which execs: the pid is node's). Throws when
 * chrt fails.
 */
export function runSelfRealtime(priority: number): void {
  const r = spawnSync('chrt', ['-f', '-a', '-p', String(priority), String(process.pid)], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0)
    throw new Error(`--client-rt: chrt failed: ${r.error?.message ?? r.stderr.trim()} (needs CAP_SYS_NICE)`);
  childSchedOther = true;
}

/** Node flags for the router and worker processes (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"). */
const CHILD_NODE_ARGS = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

/**
 * Starts `node <file> args` and resolves with the first stdout line `ready` accepts. With `cpus` (a taskset
 * list such as "0"), the process and every thread it starts run only on those CPUs (`taskset -c`, which execs
 * node: the pid is node's).
 */
export function startNode(
  file: string,
  args: string[],
  ready: (line: string) => boolean,
  cpus?: string,
  cwd = ROOT,
  nodeArgs: readonly string[] = [],
): Promise<{ line: string; pid: number }> {
  const node = [process.execPath, ...CHILD_NODE_ARGS, ...nodeArgs, file, ...args];
  const pinned = cpus === undefined ? node : ['taskset', '-c', cpus, ...node];
  // A child inherits this process's nice value: `nice -n` brings it back to 0 (nice and taskset exec, so the
  // pid is node's).
  const niced = childNiceAdjust === 0 ? pinned : ['nice', '-n', String(childNiceAdjust), ...pinned];
  const command = childSchedOther ? ['chrt', '-o', '0', ...niced] : niced;
  const child = spawn(command[0] as string, command.slice(1), {
    cwd,
    env: { ...process.env, OICF_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let buf = '';
    let started = false;
    // A probed run (tail-probe.mjs) keeps each child's stdout too (e.g. V8's --trace-gc-nvp lines).
    const probeDir = process.env.TAIL_PROBE_DIR;
    child.stdout?.on('data', (d: Buffer) => {
      if (probeDir !== undefined && probeDir !== '') appendFileSync(`${probeDir}/stdout-${child.pid}.txt`, d);
      if (started) return;
      buf += d.toString();
      const line = buf.split('\n').find(ready);
      if (line !== undefined) {
        started = true;
        resolve({ line, pid: child.pid as number });
      }
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
}

/**
 * Starts a service from its build (scripts/run-service.mjs: rebuilt first if the sources changed), of this
 * checkout or of the checkout at `root` (the bench's `--services-root`: another build measured by this client).
 */
export function startService(
  app: string,
  args: string[],
  cpus?: string,
  root = ROOT,
  nodeArgs: readonly string[] = [],
) {
  return startNode(
    join(root, 'scripts', 'run-service.mjs'),
    [app, ...args],
    (l) => l.includes('"event":"listening"'),
    cpus,
    root,
    nodeArgs,
  );
}

/**
 * The V8 flags the checkout at `root` starts its router with by default (its `apps/router/src/node-flags.ts`,
 * which the cluster launcher and the deploy files use; a checkout without the file, e.g. main before round 8's
 * second router change, starts it with none), so each build is measured as it is launched.
 */
export async function routerLaunchFlags(root = ROOT): Promise<readonly string[]> {
  const file = join(root, 'apps', 'router', 'src', 'node-flags.ts');
  if (!existsSync(file)) return [];
  const mod = (await import(pathToFileURL(file).href)) as { ROUTER_NODE_FLAGS?: unknown };
  const flags = mod.ROUTER_NODE_FLAGS;
  if (!Array.isArray(flags) || !flags.every((f) => typeof f === 'string' && f.startsWith('--')))
    throw new Error(`${file}: ROUTER_NODE_FLAGS should be a list of --flags (got ${JSON.stringify(flags)})`);
  return flags;
}

/** Bundles the scripted worker like the services (no TypeScript loader at run time) and starts it. */
export async function startScriptedWorker(
  routerGrpc: string,
  root = ROOT,
): Promise<{ wsAddress: string; pid: number }> {
  const build = (await import(pathToFileURL(join(root, 'scripts', 'build-services.mjs')).href)) as {
    buildBundles(entries: Record<string, string>, outDir: string, root?: string): Promise<Record<string, string>>;
  };
  const out = await build.buildBundles(
    { 'scripted-worker': 'apps/router/bench/scripted-worker-main.ts' },
    join(root, 'dist', 'bench'),
    root,
  );
  const started = await startNode(
    out['scripted-worker'] as string,
    ['--router', routerGrpc, '--id', 'decode-0'],
    (l) => l.includes('"event":"worker"'),
    undefined,
    root,
  );
  return { wsAddress: (JSON.parse(started.line) as { wsAddress: string }).wsAddress, pid: started.pid };
}

/** The trivial HTTP server of the floor measurement, in its own process. */
/**
 * Starts a floor server: `http` the trivial node:http one (http-floor-server.mjs), `net` the same service on
 * node:net with a minimal HTTP/1.1 reader (net-floor-server.mjs, round 10), `relay` that net server relaying
 * each request as a frame to a peer process and answering when the peer's frame comes back (the router's
 * shape with no work of its own; `peerPid` is the peer's), `door` the router's own fast door serving the
 * floor's reply (door-floor-server.ts, through tsx).
 */
export type FloorKind = 'http' | 'net' | 'relay' | 'door';

export async function startFloorServer(
  cpus?: string,
  kind: FloorKind = 'http',
): Promise<{ url: URL; pid: number; peerPid?: number }> {
  const ready = (l: string) => l.startsWith('{');
  if (kind === 'door') {
    const started = await startNode(join(HERE, 'door-floor-server.ts'), [], ready, cpus, ROOT, ['--import', 'tsx']);
    return { url: new URL((JSON.parse(started.line) as { url: string }).url), pid: started.pid };
  }
  if (kind === 'http') {
    const started = await startNode(join(HERE, 'http-floor-server.mjs'), [], ready, cpus);
    return { url: new URL((JSON.parse(started.line) as { url: string }).url), pid: started.pid };
  }
  const file = join(HERE, 'net-floor-server.mjs');
  if (kind === 'net') {
    const started = await startNode(file, [], ready, cpus);
    return { url: new URL((JSON.parse(started.line) as { url: string }).url), pid: started.pid };
  }
  const peer = await startNode(file, ['--peer'], ready);
  const peerPort = String((JSON.parse(peer.line) as { port: number }).port);
  const started = await startNode(file, ['--relay', peerPort], ready, cpus);
  return { url: new URL((JSON.parse(started.line) as { url: string }).url), pid: started.pid, peerPid: peer.pid };
}

/**
 * Pins this process (every thread), and so the children it starts later, to every online CPU except
 * `routerCpus` (a comma list of CPU numbers); returns that list. Throws when that leaves none, or taskset fails.
 */
export function pinSelfAwayFrom(routerCpus: string): string {
  const mine = new Set(routerCpus.split(',').map((c) => Number(c.trim())));
  const online = onlineCpus().map((_, i) => i);
  if ([...mine].some((c) => !Number.isInteger(c) || !online.includes(c)))
    throw new Error(`--router-cpus ${routerCpus}: CPUs must be among ${online.join(',')}`);
  const others = online.filter((c) => !mine.has(c));
  if (others.length === 0) throw new Error(`--router-cpus ${routerCpus}: leaves no CPU for the client and the worker`);
  const r = spawnSync('taskset', ['-a', '-pc', others.join(','), String(process.pid)], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0)
    throw new Error(
      `--router-cpus: taskset failed: ${r.error?.message ?? r.stderr.trim()} (util-linux's taskset is needed)`,
    );
  return others.join(',');
}

/**
 * User and system CPU seconds of `pid`'s main thread (tid = pid) from /proc (utime and stime, fields 14 and
 * 15 of proc(5), 100 ticks/s), NaN when unreadable: the system share is the kernel's work for the thread's
 * syscalls (on loopback a socket write also runs the peer's TCP receive path), the user share JavaScript,
 * V8 and libuv.
 */
export function mainThreadUserSystem(pid: number): { userSeconds: number; systemSeconds: number } {
  try {
    const line = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const rest = line.slice(line.lastIndexOf(') ') + 2).split(' ');
    return { userSeconds: Number(rest[11]) / 100, systemSeconds: Number(rest[12]) / 100 };
  } catch {
    return { userSeconds: Number.NaN, systemSeconds: Number.NaN };
  }
}

/** SIGTERM every child and wait for them. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs `body` to `url` + `path` on a keep-alive connection; resolves with the milliseconds it took. */
export function postJson(url: URL, path: string, body: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function closeHttp(): void {
  agent.destroy();
}

/** A request-plane call that resolves when the worker's last output for it arrives. */
class DirectCall implements PlaneCall {
  lastFrameMs = 0;
  readonly idleTimeoutMs = 0;
  numOutputs = 0;
  constructor(
    readonly id: string,
    private readonly done: (err?: OicfError) => void,
  ) {}
  onOutput(o: SequenceOutput__Output): void {
    this.numOutputs++;
    if (o.chunk?.finishReason === 'FINISH_REASON_ERROR')
      this.done(new OicfError('INTERNAL', o.chunk.error?.message ?? ''));
    else if (o.chunk?.finishReason !== 'FINISH_REASON_UNSPECIFIED') this.done();
  }
  onFrame(f: Frame): void {
    this.done(new OicfError('INTERNAL', `direct decode ${this.id} got a ${f.kind} frame`));
  }
  onClosed(e: OicfError): void {
    this.done(e);
  }
  onIdle(): void {}
}

/** The direct path: decode straight on the worker over its request plane, as the router does. */
export class DirectClient {
  private next = 0;
  /** Step frames' outputs seen per request, on average (1 for a scripted one-token request). */
  numOutputs = 0;
  private constructor(private readonly channel: PlaneChannel) {}

  static async connect(wsAddress: string): Promise<DirectClient> {
    const channel = await PlaneChannel.connect(wsAddress, {
      peer: 'the worker',
      tickSeconds: 1,
      livenessTimeoutSeconds: 30,
    });
    return new DirectClient(channel);
  }

  /** Sends one decode; `done` gets the milliseconds to its last output, or the error's message. */
  decode(req: Omit<DecodeRequest, 'requestId'>, done: (ms: number, error?: string) => void): void {
    const id = `direct-${this.next++}`;
    const t0 = performance.now();
    let ended = false;
    const call: DirectCall = new DirectCall(id, (err) => {
      if (ended) return;
      ended = true;
      this.channel.end(id);
      this.numOutputs += call.numOutputs;
      if (err === undefined) done(performance.now() - t0);
      else done(Number.NaN, err.message);
    });
    try {
      this.channel.start(call, 'decode', { ...req, requestId: id });
    } catch (err) {
      done(Number.NaN, err instanceof Error ? err.message : String(err));
    }
  }

  close(): Promise<void> {
    return this.channel.close();
  }
}
