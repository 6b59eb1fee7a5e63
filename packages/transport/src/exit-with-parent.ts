// Ties a service's life to its parent's: the launcher (and tests) set OICF_PARENT_PID, and a service whose
// parent died (crashed test runner, killed launcher) shuts itself down instead of lingering on its ports.
// Polls `process.kill(pid, 0)` (signal 0 only checks that the process exists); the timer is unref'd so it
// never keeps a process alive by itself.

export interface ExitWithParentOptions {
  /** Seconds between checks (default 1). */
  intervalSeconds?: number;
  /** Whether `pid` is alive; default `process.kill(pid, 0)` (EPERM still means alive). */
  isAlive?: (pid: number) => boolean;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Calls `shutdown` once, at the first check that finds `parentPid` gone. Returns a function that stops
 * watching. A `parentPid` that is not a positive integer is refused (RangeError), so a mistyped env var
 * fails at startup rather than never firing.
 */
export function exitWithParent(
  parentPid: number,
  shutdown: () => void | Promise<void>,
  options: ExitWithParentOptions = {},
): () => void {
  if (!Number.isInteger(parentPid) || parentPid <= 0) {
    throw new RangeError(`parent pid must be a positive integer, got ${String(parentPid)}`);
  }
  const isAlive = options.isAlive ?? processExists;
  const timer = setInterval(
    () => {
      if (isAlive(parentPid)) return;
      clearInterval(timer);
      void Promise.resolve()
        .then(shutdown)
        .catch(() => {});
    },
    (options.intervalSeconds ?? 1) * 1000,
  );
  timer.unref();
  return () => clearInterval(timer);
}

/** The environment variable the launcher and tests set to their own pid. */
export const PARENT_PID_ENV = 'OICF_PARENT_PID';

/**
 * exitWithParent for the pid in `env.OICF_PARENT_PID` (main.ts passes `process.env`); does nothing and
 * returns undefined when the variable is unset or empty (a service started by hand outlives its shell).
 */
export function exitWithParentFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  shutdown: () => void | Promise<void>,
  options: ExitWithParentOptions = {},
): (() => void) | undefined {
  const raw = env[PARENT_PID_ENV];
  if (raw === undefined || raw === '') return undefined;
  // A dead parent usually took the read ends of our stdout/stderr pipes with it: the shutdown's log lines
  // then fail with EPIPE, which must not turn a clean drain into an unhandled 'error' crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  return exitWithParent(Number(raw), shutdown, options);
}
