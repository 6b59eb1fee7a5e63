/**
 * A CLI subcommand. Each lives in its own file under commands/ and is registered
 * once in commands/index.ts. `run` returns the process exit code; it throws only
 * for broken invariants (UsageError is the expected way to reject bad arguments).
 */
export interface Command {
  /** Name as typed, possibly with a space for groups: "analyze", "trace stats". */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full help text printed by `oicf <name> --help`. */
  readonly usage: string;
  run(argv: string[], io: CommandIo): Promise<number>;
}

/** Where a command writes; tests pass buffers, main passes the real streams. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  isTty: boolean;
  /** Repository root or current directory, for relative output paths. */
  cwd: string;
  /** Aborted on Ctrl-C; long commands stop early and still write partial results. */
  signal: AbortSignal;
}

/** Bad arguments: printed as `oicf <cmd>: <message>` plus a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
