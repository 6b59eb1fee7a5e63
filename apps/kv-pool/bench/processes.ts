// Child processes for kv-pool.bench.ts: start a server and wait for its ready line, stop them all
// (SIGTERM, so `--cpu-prof` profiles get written), and read their CPU time.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/** CPU seconds (user + system, all threads) process `pid` has used so far, from /proc (Linux; NaN elsewhere). */
export function cpuSecondsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)" start at field 3; utime and stime are fields 14 and 15, in clock ticks (100/s).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) this process has used so far. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Minor page faults of process `pid` so far (field 10 of /proc/<pid>/stat; NaN when unreadable). */
export function minorFaultsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of a process so far by thread and mode (the cluster package's /proc reader). */
export { cpuSecondsByThread } from '@oicf/cluster/process-cpu';
