import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterState, isAlive, type LaunchedService } from '@oicf/cluster';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIo } from '../testing/capture-io.js';
import { clusterDownCommand, clusterUpCommand } from './cluster.js';

// `cluster down` against real processes: a harmless child stands in for a service, recorded in a
// state file the way the launcher records its services.
const SCRIPT = 'setInterval(() => {}, 1000)';
const HAS_PROC = existsSync('/proc/self/cmdline');

describe('oicf cluster down', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function start(): ChildProcess {
    const child = spawn(process.execPath, ['-e', SCRIPT], { stdio: 'ignore' });
    children.push(child);
    return child;
  }

  function stateWith(services: LaunchedService[]): string {
    const runDir = mkdtempSync(join(tmpdir(), 'oicf-down-'));
    dirs.push(runDir);
    const state: ClusterState = { startedAtUnixMs: 0, runDir, services };
    writeFileSync(join(runDir, 'state.json'), JSON.stringify(state));
    return runDir;
  }

  const service = (name: string, pid: number, commandLine: string[]): LaunchedService => ({
    name,
    app: 'decode-worker',
    pid,
    endpoints: { http: 'http://127.0.0.1:1' },
    logFile: '/dev/null',
    configFile: '/dev/null',
    commandLine,
  });

  const exited = (c: ChildProcess) =>
    new Promise<NodeJS.Signals | null>((r) =>
      c.exitCode !== null || c.signalCode !== null ? r(c.signalCode) : c.once('exit', (_code, sig) => r(sig)),
    );

  it('stops a live service, clears the state, and a second down finds no state', async () => {
    const child = start();
    const runDir = stateWith([service('decode-0', child.pid as number, [process.execPath, '-e', SCRIPT])]);
    const io = captureIo(runDir);
    expect(await clusterDownCommand.run(['--run-dir', runDir], io)).toBe(0);
    expect(await exited(child)).toBe('SIGTERM');
    expect(io.out()).toBe('stopped 1 service(s)\n');
    expect(existsSync(join(runDir, 'state.json'))).toBe(false);
    const again = captureIo(runDir);
    expect(await clusterDownCommand.run(['--run-dir', runDir], again)).toBe(1);
    expect(again.err()).toContain(`no cluster state in ${runDir}`);
  });

  const alone = 'leaves a PID whose command line does not match alone';
  it.runIf(HAS_PROC)(HAS_PROC ? alone : `${alone} (skipped: no /proc/self/cmdline to read)`, async () => {
    const child = start();
    const pid = child.pid as number;
    // As if the service had exited and the OS had given its PID to this unrelated process.
    const runDir = stateWith([
      service('decode-0', pid, [process.execPath, '--import', 'tsx', '/repo/apps/decode-worker/src/main.ts']),
    ]);
    const io = captureIo(runDir);
    expect(await clusterDownCommand.run(['--run-dir', runDir], io)).toBe(0);
    expect(io.out()).toBe(
      'stopped 0 service(s); 1 not signalled: their PID now belongs to another process (decode-0)\n',
    );
    expect(isAlive(pid)).toBe(true);
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
  });

  it('cluster up refuses while a recorded service runs, naming the run dir in the hint', async () => {
    const child = start();
    const runDir = stateWith([service('router', child.pid as number, [process.execPath, '-e', SCRIPT])]);
    const io = captureIo(runDir);
    expect(await clusterUpCommand.run(['--run-dir', runDir], io)).toBe(1);
    expect(io.err()).toBe(
      `oicf cluster up: a cluster is already running from ${runDir}; run 'oicf cluster down --run-dir ${runDir}' first\n`,
    );
  });
});

describe('oicf cluster up flags', () => {
  // Every case is refused while validating, before anything is launched.
  it.each([
    [['--policy', 'fastest'], /policy.*unknown|unknown.*policy|fastest/i],
    [['--emulate', 'llama-3.1-70b'], /emulate/],
    [['--emulate', 'no-such-model@h100'], /no-such-model/],
  ])('%j is an invalid config, exit 2', async (flags, message) => {
    const runDir = mkdtempSync(join(tmpdir(), 'oicf-up-'));
    try {
      const io = captureIo(runDir);
      expect(await clusterUpCommand.run(['--run-dir', runDir, ...flags], io)).toBe(2);
      expect(io.err()).toMatch(/invalid config/);
      expect(io.err()).toMatch(message);
      expect(existsSync(join(runDir, 'state.json'))).toBe(false);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown --mode by name', async () => {
    const io = captureIo(tmpdir());
    await expect(clusterUpCommand.run(['--mode', 'mixed'], io)).rejects.toThrow(
      "--mode must be disaggregated or colocated, got 'mixed'",
    );
  });
});
