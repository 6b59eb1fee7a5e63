import { readFileSync } from 'node:fs';
import process from 'node:process';
import { OicfCoreError } from '@oicf/core';
import { CalibrationFileError } from '@oicf/kernels';
import { type Command, type CommandIo, UsageError } from './command.js';
import { commands } from './commands/index.js';
import { closest } from './did-you-mean.js';
import { clarifyParseError, flagsInUsage } from './usage-message.js';

/** The CLI's version (apps/cli/package.json). */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** Entry point: `oicf <command> [args]`. Longest matching command name wins ("trace stats"). */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(helpText());
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    io.stdout(`oicf ${cliVersion()}\n`);
    return 0;
  }
  const match = commands
    .filter((c) => {
      const words = c.name.split(' ');
      return words.every((w, i) => argv[i] === w);
    })
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!match) {
    const group = groupOf(argv[0]);
    if (group.length > 0) {
      // `oicf cluster --help` asks for the group's help; a bare or misspelt `oicf cluster …` gets it as an error.
      const rest = argv.slice(1);
      if (rest.length > 0 && rest.every((a) => a === '--help' || a === '-h')) {
        io.stdout(groupHelpText(argv[0] ?? '', group));
        return 0;
      }
      const what =
        rest.length === 0
          ? `'oicf ${argv[0]}' needs a subcommand`
          : `unknown command '${argv.join(' ')}'${suggestion(argv)}`;
      io.stderr(`oicf: ${what}\n\n${groupHelpText(argv[0] ?? '', group)}`);
      return 2;
    }
    io.stderr(`oicf: unknown command '${argv.join(' ')}'${suggestion(argv)}\n\n${helpText()}`);
    return 2;
  }
  const rest = argv.slice(match.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${match.usage.trimEnd()}\n`);
    return 0;
  }
  try {
    return await match.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      const message = clarifyParseError(err.message, flagsInUsage(match.usage));
      io.stderr(`oicf ${match.name}: ${message}\nRun 'oicf ${match.name} --help' for usage.\n`);
      return 2;
    }
    const input = inputErrorMessage(err);
    if (input !== undefined) {
      io.stderr(`oicf ${match.name}: ${input}\n`);
      return 2;
    }
    throw err;
  }
}

/**
 * Errors caused by what the user gave rather than by a bug: a bad calibration file, or arguments
 * the core rejects (INVALID_ARGUMENT, NOT_FOUND). One line, no stack; anything else is internal.
 */
export function inputErrorMessage(err: unknown): string | undefined {
  if (err instanceof CalibrationFileError) return `bad calibration file: ${err.message}`;
  if (err instanceof OicfCoreError && (err.code === 'INVALID_ARGUMENT' || err.code === 'NOT_FOUND')) {
    return err.message;
  }
  return undefined;
}

/**
 * " (did you mean 'oicf cluster up'?)" for a mistyped command: the closest command name with as many words
 * as were typed (a misspelt group or subcommand, "clustr up", "trace stat"), else the closest first word
 * ("analyse" → "analyze"); '' when nothing is close.
 */
function suggestion(argv: readonly string[]): string {
  const names = commands.map((c) => c.name);
  for (let n = Math.min(argv.length, 2); n >= 1; n--) {
    const typed = argv.slice(0, n).join(' ');
    const sameLength = [...new Set(names.map((name) => name.split(' ').slice(0, n).join(' ')))];
    const guess = closest(typed, sameLength);
    if (guess !== undefined) return ` (did you mean 'oicf ${guess}'?)`;
  }
  return '';
}

/** Commands whose first word is `word` when that word names a group ("cluster up", "cluster down"). */
function groupOf(word: string | undefined): Command[] {
  return word === undefined ? [] : commands.filter((c) => c.name.startsWith(`${word} `));
}

function groupHelpText(word: string, group: readonly Command[]): string {
  const width = Math.max(...group.map((c) => c.name.length));
  const lines = group.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: oicf ${word} <subcommand> [options]\n\nSubcommands:\n${lines.join('\n')}\n\nRun 'oicf ${word} <subcommand> --help' for its options.\n`;
}

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `oicf: Operational Intensity and Capacity Footprint for agentic LLM inference\n\nUsage: oicf <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'oicf <command> --help' for a command's options, 'oicf --version' for the version.\n`;
}

const isEntry = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isEntry) {
  // `oicf … | head` closes stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\noicf: interrupted, finishing up (Ctrl-C again to force)\n');
    controller.abort();
  });
  const io: CommandIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty: Boolean(process.stderr.isTTY),
    cwd: process.env.INIT_CWD ?? process.cwd(),
    signal: controller.signal,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `oicf: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
