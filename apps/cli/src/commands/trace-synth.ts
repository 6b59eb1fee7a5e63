import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { getWorkflow, parseWorkflowSpec, simulateSession, WORKFLOW_IDS, type WorkflowSpec } from '@oicf/core';
import {
  DEFAULT_SECONDS_PER_OUTPUT_TOKEN,
  DEFAULT_SYNTH_BLOCK_TOKENS,
  formatAgentTrace,
  formatInteger,
  synthesizeAgentTrace,
} from '@oicf/traces';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { integerFlag, optionalIntegerFlag, parseFlags } from '../flags.js';

const DEFAULT_SESSIONS = 50;
const DEFAULT_SEED = 1;
/** One new session every 10 s on average. */
const DEFAULT_SESSIONS_PER_SECOND = 0.1;

const USAGE = `Usage: oicf trace synth --workflow <id> [options]

Writes a synthetic agent-session trace in the native JSONL format (docs/traces.md). Sessions start
as a seeded Poisson process; each session's turns come from the workflow's parameters in @oicf/core
(turns, system prompt, user/tool/screenshot tokens, output tokens, tool gaps). Every turn's prompt
is the previous prompt + previous output + new tokens, with prefix-chained block ids so reuse is
real. The same arguments always give the same bytes.

Options:
  --workflow <id>                   ${WORKFLOW_IDS.join(', ')}
  --workflow-file <json>            a custom WorkflowSpec (fields as in @oicf/core) instead of --workflow
  --sessions <n>                    number of sessions (default ${DEFAULT_SESSIONS})
  --seed <n>                        integer seed (default ${DEFAULT_SEED})
  --rate <r>                        session starts per second (default ${DEFAULT_SESSIONS_PER_SECOND})
  --turns <n>                       turns per session (default: the workflow's range)
  --block-tokens <n>                tokens per block id (default ${DEFAULT_SYNTH_BLOCK_TOKENS}, Mooncake's size)
  --seconds-per-output-token <s>    decode pace for open-loop arrival times (default ${DEFAULT_SECONDS_PER_OUTPUT_TOKEN})
  --out <file>                      write to a file instead of stdout
`;

export const traceSynthCommand: Command = {
  name: 'trace synth',
  summary: 'Generate a deterministic agent-session trace (chat, coding, web-use, computer-use)',
  usage: USAGE,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseSynthArgs(argv);
    const workflow = await loadWorkflow(args, io);
    const canonical = [
      args.workflowFile === undefined ? `--workflow ${workflow.id}` : `--workflow-file ${args.workflowFile}`,
      `--sessions ${args.numSessions}`,
      `--seed ${args.seed}`,
      `--rate ${args.sessionsPerSecond}`,
      ...(args.numTurns !== undefined ? [`--turns ${args.numTurns}`] : []),
      `--block-tokens ${args.blockTokens}`,
      `--seconds-per-output-token ${args.secondsPerOutputToken}`,
    ].join(' ');
    const trace = synthesizeAgentTrace({
      workflow,
      simulateSession,
      numSessions: args.numSessions,
      seed: args.seed,
      sessionsPerSecond: args.sessionsPerSecond,
      blockTokens: args.blockTokens,
      secondsPerOutputToken: args.secondsPerOutputToken,
      ...(args.numTurns !== undefined ? { numTurns: args.numTurns } : {}),
      createdBy: `oicf trace synth ${canonical}`,
    });
    const text = formatAgentTrace(trace);
    if (args.out === undefined) {
      io.stdout(text);
      return 0;
    }
    const path = isAbsolute(args.out) ? args.out : resolve(io.cwd, args.out);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    io.stdout(
      `wrote ${formatInteger(trace.turns.length)} turns of ${formatInteger(args.numSessions)} ${workflow.id} sessions to ${path}\n`,
    );
    return 0;
  },
};

/** The catalog workflow, or a user JSON file validated by @oicf/core (every bad field listed). */
async function loadWorkflow(args: SynthArgs, io: CommandIo): Promise<WorkflowSpec> {
  if (args.workflowFile === undefined) {
    const found = getWorkflow(args.workflow ?? '');
    if (!found.ok) throw new UsageError(`--workflow: ${found.error.message}`);
    return found.value;
  }
  const path = isAbsolute(args.workflowFile) ? args.workflowFile : resolve(io.cwd, args.workflowFile);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(`--workflow-file: cannot read '${args.workflowFile}' (${reason})`);
  }
  const parsed = parseWorkflowSpec(json);
  if (!parsed.ok) {
    const issues = parsed.error.issues?.map((i) => `\n  ${i.path}: ${i.message}`).join('') ?? '';
    throw new UsageError(`--workflow-file '${args.workflowFile}': ${parsed.error.message}${issues}`);
  }
  return parsed.value;
}

interface SynthArgs {
  workflow: string | undefined;
  workflowFile: string | undefined;
  numSessions: number;
  seed: number;
  sessionsPerSecond: number;
  numTurns: number | undefined;
  blockTokens: number;
  secondsPerOutputToken: number;
  out: string | undefined;
}

function parseSynthArgs(argv: string[]): SynthArgs {
  const { values, positionals } = parse(argv);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if ((values.workflow === undefined) === (values['workflow-file'] === undefined)) {
    throw new UsageError(`give exactly one of --workflow (${WORKFLOW_IDS.join(', ')}) or --workflow-file`);
  }
  return {
    workflow: values.workflow,
    workflowFile: values['workflow-file'],
    numSessions: optionalIntegerFlag(values.sessions, '--sessions', 1, DEFAULT_SESSIONS),
    seed: optionalIntegerFlag(values.seed, '--seed', Number.MIN_SAFE_INTEGER, DEFAULT_SEED),
    sessionsPerSecond: positiveNumberFlag(values.rate, '--rate', DEFAULT_SESSIONS_PER_SECOND, false),
    numTurns: values.turns === undefined ? undefined : integerFlag(values.turns, '--turns', 1),
    blockTokens: optionalIntegerFlag(values['block-tokens'], '--block-tokens', 1, DEFAULT_SYNTH_BLOCK_TOKENS),
    secondsPerOutputToken: positiveNumberFlag(
      values['seconds-per-output-token'],
      '--seconds-per-output-token',
      DEFAULT_SECONDS_PER_OUTPUT_TOKEN,
      true,
    ),
    out: values.out,
  };
}

function parse(argv: string[]) {
  return parseFlags({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      workflow: { type: 'string' },
      'workflow-file': { type: 'string' },
      sessions: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      turns: { type: 'string' },
      'block-tokens': { type: 'string' },
      'seconds-per-output-token': { type: 'string' },
      out: { type: 'string' },
    },
  });
}

function positiveNumberFlag(text: string | undefined, flag: string, fallback: number, allowZero: boolean): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UsageError(`${flag} must be a number ${allowZero ? '≥' : '>'} 0, got '${text}'`);
  }
  return value;
}
