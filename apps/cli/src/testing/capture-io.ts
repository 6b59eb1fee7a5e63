import type { CommandIo } from '../command.js';

export interface CapturedIo extends CommandIo {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

/**
 * A CommandIo for command tests: output captured in memory, `cwd` where relative paths resolve,
 * not a TTY unless asked, and a signal that never aborts unless one is given.
 */
export function captureIo(
  cwd: string,
  options: { signal?: AbortSignal; isTty?: boolean; onStderr?: (text: string) => void } = {},
): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
      options.onStderr?.(t);
    },
    isTty: options.isTty ?? false,
    cwd,
    signal: options.signal ?? new AbortController().signal,
    out: () => out,
    err: () => err,
  };
}
