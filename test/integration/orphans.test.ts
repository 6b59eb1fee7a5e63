// No orphans (issue 14.2): a router SIGKILLed with nothing to restart it. Its decode worker and its kv-pool,
// started without a parent to follow (no OICF_PARENT_PID, as a detached cluster's services would be), exit by
// themselves once the router has been gone for their grace period (2 s here, 60 s by default), instead of
// running on orphaned.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function start(app: string, args: string[]): Promise<{ child: ChildProcess; grpc: string; ws: string }> {
  const env = { ...process.env };
  delete env.OICF_PARENT_PID;
  const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}apps/${app}/src/main.ts`, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  children.push(child);
  const log: string[] = [];
  child.stderr?.on('data', (c) => log.push(String(c)));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${app} did not listen within 60 s:\n${log.join('')}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${app} exited with ${code} before listening:\n${log.join('')}`)));
    lines.on('line', (line) => {
      if (!line.includes('"listening"')) return;
      clearTimeout(timer);
      const e = JSON.parse(line) as { endpoints: { grpc: string; ws: string } };
      resolve({ child, ...e.endpoints });
    });
  });
}

const exited = (c: ChildProcess, seconds: number) =>
  new Promise<number | null>((resolve, reject) => {
    if (c.exitCode !== null) return resolve(c.exitCode);
    const timer = setTimeout(() => reject(new Error(`still running after ${seconds} s`)), seconds * 1000);
    c.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });

describe('orphans', () => {
  it('a decode worker and a pool exit on their own after the router has been gone for their grace period', async () => {
    const pool = await start('kv-pool', ['--routerGraceSeconds=2', '--tiers.dram.capacityBytes=16777216']);
    const router = await start('router', [
      '--mode=colocated',
      `--pool.grpcAddress=${pool.grpc}`,
      `--pool.wsAddress=${pool.ws}`,
      '--poolKeepaliveSeconds=0.5',
    ]);
    const worker = await start('decode-worker', [
      '--workerId=decode-0',
      '--role=both',
      `--routerGrpcAddress=${router.grpc}`,
      '--routerGraceSeconds=2',
      '--kvCapacityBytes=16777216',
    ]);
    // Both heard the router (a registration, keepalives) before it dies.
    await new Promise((r) => setTimeout(r, 1500));
    expect(worker.child.exitCode).toBeNull();
    expect(pool.child.exitCode).toBeNull();
    router.child.kill('SIGKILL');
    // 2 s of grace, then a drain of at most drainTimeoutSeconds (10 s): well within 30 s.
    expect(await exited(worker.child, 30)).toBe(0);
    expect(await exited(pool.child, 30)).toBe(0);
  }, 120_000);
});
