// `cluster status` and `cluster down` find a cluster started with --run-dir from anywhere (issue 16.7): the
// run dir as an argument, or the one live cluster in the user's registry; and `cluster up --help` and the
// shipped config agree on what "default" is.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClusterState, defaultClusterConfig, parseClusterConfig, registerRunDir } from '@oicf/cluster';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureIo } from '../testing/capture-io.js';
import { clusterDownCommand, clusterStatusCommand, clusterUpCommand } from './cluster.js';
import { describeDefaults } from './cluster-run-dir.js';

const SCRIPT = 'setInterval(() => {}, 1000)';
const children: ChildProcess[] = [];
const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
let registryFile = '';
let savedStateDir: string | undefined;

beforeEach(() => {
  savedStateDir = process.env.OICF_STATE_DIR;
  process.env.OICF_STATE_DIR = tmp('oicf-state-');
  registryFile = join(process.env.OICF_STATE_DIR, 'clusters.json');
});
afterEach(() => {
  if (savedStateDir === undefined) delete process.env.OICF_STATE_DIR;
  else process.env.OICF_STATE_DIR = savedStateDir;
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A run dir whose state names one live stand-in service (a harmless child), registered as `cluster up` does. */
function liveCluster(): { runDir: string; child: ChildProcess } {
  const child = spawn(process.execPath, ['-e', SCRIPT], { stdio: 'ignore' });
  children.push(child);
  const runDir = tmp('oicf-run-');
  const state: ClusterState = {
    startedAtUnixMs: 0,
    runDir,
    services: [
      {
        name: 'decode-0',
        app: 'decode-worker',
        pid: child.pid as number,
        endpoints: { http: 'http://127.0.0.1:1' },
        logFile: '/dev/null',
        configFile: '/dev/null',
        commandLine: [process.execPath, '-e', SCRIPT],
      },
    ],
  };
  writeFileSync(join(runDir, 'state.json'), JSON.stringify(state));
  registerRunDir({ file: registryFile }, runDir);
  return { runDir, child };
}

const exited = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('finding a cluster started with --run-dir', () => {
  it('cluster down from another directory finds the one live cluster in the registry, stops it and forgets it', async () => {
    const { runDir, child } = liveCluster();
    const io = captureIo(tmp('oicf-elsewhere-'));
    expect(await clusterDownCommand.run([], io)).toBe(0);
    await exited(child);
    expect(io.err()).toContain(`using the cluster started in ${runDir}`);
    expect(io.out()).toBe('stopped 1 service(s)\n');
    expect(JSON.parse(readFileSync(registryFile, 'utf8'))).toEqual({ runDirs: [] });
  });

  it('with two live clusters, says which there are and asks for one (exit 2); the run dir as an argument picks', async () => {
    const a = liveCluster();
    const b = liveCluster();
    const io = captureIo(tmp('oicf-elsewhere-'));
    expect(await clusterStatusCommand.run(['--json'], io)).toBe(2);
    expect(io.err()).toContain('2 clusters are running; say which with --run-dir <dir> (or as the argument):');
    expect(io.err()).toContain(a.runDir);
    expect(io.err()).toContain(b.runDir);
    const one = captureIo(tmp('oicf-elsewhere-'));
    await clusterStatusCommand.run([b.runDir, '--json'], one);
    expect(JSON.parse(one.out()).runDir).toBe(resolve(b.runDir));
  });

  it('no cluster anywhere: says where it looked (exit 1); dead registered clusters are pruned', async () => {
    const dead = tmp('oicf-run-'); // registered, but no state.json: its cluster is gone
    registerRunDir({ file: registryFile }, dead);
    const cwd = tmp('oicf-elsewhere-');
    const io = captureIo(cwd);
    expect(await clusterStatusCommand.run([], io)).toBe(1);
    expect(io.err()).toBe(
      `oicf cluster status: no cluster state in ${join(cwd, '.oicf', 'cluster')}, and no live cluster in ${registryFile} (start one with 'oicf cluster up', or give its run dir)\n`,
    );
    expect(JSON.parse(readFileSync(registryFile, 'utf8'))).toEqual({ runDirs: [] });
  });
});

describe('what "default" means', () => {
  it('cluster up --help states the built-in defaults, from the config schema', () => {
    expect(clusterUpCommand.usage).toContain(describeDefaults());
    // The schema's defaults, spelled out (2 + 2 workers, as cluster-config.test.ts pins them).
    expect(describeDefaults()).toContain('2 prefill and 2 decode workers serving tiny-gqa');
  });

  it('deploy/configs/cluster.json is those defaults field by field, but for the router port 8080', () => {
    const root = fileURLToPath(new URL('../../../..', import.meta.url));
    const shipped = parseClusterConfig(
      JSON.parse(readFileSync(join(root, 'deploy', 'configs', 'cluster.json'), 'utf8')),
      'cluster.json',
    );
    if (!shipped.ok) throw new Error(shipped.errors.join('\n'));
    const d = defaultClusterConfig();
    // policyParams: the oicf-cost defaults spelled out (sched's registry: sloTtftSeconds 10, maxLocalPrefillTokens 256).
    expect(shipped.value.router.policyParams).toEqual({ sloTtftSeconds: 10, maxLocalPrefillTokens: 256 });
    expect({ ...shipped.value, router: { ...shipped.value.router, httpPort: 0, policyParams: {} } }).toEqual(d);
  });
});
