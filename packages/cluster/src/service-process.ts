import { existsSync, readFileSync } from 'node:fs';

/**
 * Whether a PID recorded in state.json is still the service the launcher started, and stopping
 * services without trusting PIDs blindly: a PID may have exited, been reused by an unrelated
 * process (ours or another user's), or be a zombie. Only a process we can positively attribute to
 * the launcher (or, where /proc is absent, one we may signal) is ever signalled.
 */

/** What `kill(pid, 0)` says: exists and ours to signal, does not exist, exists but owned by someone else. */
export type PidProbe = 'exists' | 'gone' | 'not-permitted';

/** match: the command line is the one launched; mismatch: another program holds the PID; unknown: cannot tell. */
export type CommandLineCheck = 'match' | 'mismatch' | 'unknown';

/** running: ours, signal it; exited: nothing left to stop; not-ours: the PID belongs to another process now. */
export type ServiceStatus = 'running' | 'exited' | 'not-ours';

export interface ProcessRef {
  readonly name: string;
  readonly pid: number;
  /** argv the launcher spawned (`[execPath, ...args]`); absent in state files of older versions. */
  readonly commandLine?: readonly string[];
}

export function probePid(pid: number): PidProbe {
  try {
    process.kill(pid, 0);
    return 'exists';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'not-permitted' : 'gone';
  }
}

/**
 * argv of a live process from /proc/<pid>/cmdline (NUL-separated). `undefined` when /proc is absent
 * (macOS, Windows) or the file cannot be read; `[]` for a zombie or kernel thread (empty cmdline).
 */
export function readCommandLine(pid: number, procRoot = '/proc'): string[] | undefined {
  if (!existsSync(procRoot)) return undefined;
  try {
    const text = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8');
    return text.split('\0').filter((arg, i, all) => arg !== '' || i < all.length - 1);
  } catch {
    return undefined;
  }
}

/**
 * Compares the live argv with the launched one, ignoring argv[0] (the executable may be reached via a
 * different path or symlink): the launched arguments must appear, in order and contiguous, in the
 * live argv. Either side unknown → 'unknown'.
 */
export function checkCommandLine(
  actual: readonly string[] | undefined,
  expected: readonly string[] | undefined,
): CommandLineCheck {
  if (actual === undefined || expected === undefined || expected.length === 0) return 'unknown';
  const want = expected.slice(1);
  if (actual.length === 0) return 'mismatch';
  for (let start = 0; start + want.length <= actual.length; start++) {
    if (want.every((arg, i) => actual[start + i] === arg)) return 'match';
  }
  return 'mismatch';
}

/**
 * The decision table (pure):
 *   probe gone                         → exited
 *   probe not-permitted                → not-ours (we launched it as ourselves; another user has the PID now)
 *   exists, argv [] (zombie)           → exited
 *   exists, check match or unknown     → running (unknown = no /proc or an old state file: trust the PID)
 *   exists, check mismatch             → not-ours
 */
export function decideStatus(
  probe: PidProbe,
  actual: readonly string[] | undefined,
  check: CommandLineCheck,
): ServiceStatus {
  if (probe === 'gone') return 'exited';
  if (probe === 'not-permitted') return 'not-ours';
  if (actual !== undefined && actual.length === 0) return 'exited';
  return check === 'mismatch' ? 'not-ours' : 'running';
}

export function serviceStatus(ref: ProcessRef, procRoot = '/proc'): ServiceStatus {
  const probe = probePid(ref.pid);
  if (probe !== 'exists') return decideStatus(probe, undefined, 'unknown');
  const actual = readCommandLine(ref.pid, procRoot);
  return decideStatus(probe, actual, checkCommandLine(actual, ref.commandLine));
}

/** A PID that exists and that we may signal (no identity check; EPERM counts as not alive). */
export function isAlive(pid: number, procRoot = '/proc'): boolean {
  // A zombie (exited, not yet reaped by its parent) still answers kill(pid, 0): it is not alive.
  const probe = probePid(pid);
  return probe === 'exists' && decideStatus(probe, readCommandLine(pid, procRoot), 'unknown') === 'running';
}

export interface StopOutcome {
  /** Were running and are gone now. */
  readonly stopped: readonly string[];
  readonly alreadyExited: readonly string[];
  /** Their PID is held by another process: not signalled. */
  readonly notOurs: readonly string[];
  /** Still running after SIGTERM, the grace period, SIGKILL and the kill wait. */
  readonly survived: readonly string[];
}

export interface StopOptions {
  /** Seconds between SIGTERM and SIGKILL. Default 15. */
  readonly graceSeconds?: number;
  /** Seconds to wait for SIGKILLed processes to disappear before giving up. Default 5. */
  readonly killWaitSeconds?: number;
  readonly procRoot?: string;
}

/** SIGTERM each running service (all at once), SIGKILL any still running after the grace, wait (bounded). */
export async function stopServices(services: readonly ProcessRef[], options: StopOptions = {}): Promise<StopOutcome> {
  const procRoot = options.procRoot ?? '/proc';
  const statusOf = (s: ProcessRef) => serviceStatus(s, procRoot);
  const initial = services.map((s) => ({ s, status: statusOf(s) }));
  const running = initial.filter((x) => x.status === 'running').map((x) => x.s);
  for (const s of running) signal(s.pid, 'SIGTERM');
  const stillRunning = () => running.filter((s) => statusOf(s) === 'running');
  await waitUntil(() => stillRunning().length === 0, (options.graceSeconds ?? 15) * 1000, 50);
  for (const s of stillRunning()) signal(s.pid, 'SIGKILL');
  await waitUntil(() => stillRunning().length === 0, (options.killWaitSeconds ?? 5) * 1000, 20);
  const survived = stillRunning().map((s) => s.name);
  return {
    stopped: running.map((s) => s.name).filter((n) => !survived.includes(n)),
    alreadyExited: initial.filter((x) => x.status === 'exited').map((x) => x.s.name),
    notOurs: initial.filter((x) => x.status === 'not-ours').map((x) => x.s.name),
    survived,
  };
}

async function waitUntil(done: () => boolean, timeoutMs: number, stepMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, stepMs));
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
