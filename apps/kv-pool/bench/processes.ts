// Child processes for kv-pool.bench.ts: start a server and wait for its ready line, stop them all
// (SIGTERM, so `--cpu-prof` profiles get written), and read their CPU time.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Spawns `cmd` in `cwd`; resolves once `isReady` returns something other than undefined for a stdout line. */
export function startProcess<T>(
  cmd: string,
  args: readonly string[],
  cwd: string,
  isReady: (line: string) => T | undefined,
): Promise<{ child: ChildProcess; ready: T }> {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${cmd} exited (${code}) before it was ready`)));
    lines.on('line', (line) => {
      const ready = isReady(line);
      if (ready !== undefined) resolve({ child, ready });
    });
  });
}

/** SIGTERM every child and waits (≤ 10 s each) for it to exit. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.removeAllListeners('exit');
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(resolve, 10_000).unref();
        }),
    ),
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** CPU seconds (user + system) this process has used so far. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** A process's CPU seconds (all threads, and by thread and mode), page faults and the load: the cluster package's /proc readers. */
export { cpuSecondsByThread, loadAverage, minorFaults, processCpu } from '@oicf/cluster/process-cpu';
