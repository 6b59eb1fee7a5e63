import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTraceText } from '@oicf/traces';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { main } from '../main.js';
import { captureIo } from '../testing/capture-io.js';
import { traceStatsCommand } from './trace-stats.js';
import { traceSynthCommand } from './trace-synth.js';

const dir = mkdtempSync(join(tmpdir(), 'oicf-trace-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dirIo = () => captureIo(dir);

async function synthToStdout(argv: string[]): Promise<string> {
  const io = dirIo();
  expect(await traceSynthCommand.run(argv, io)).toBe(0);
  return io.out();
}

describe('oicf trace synth', () => {
  it('`--workflow coding --sessions 50 --seed 1` is deterministic, to stdout and to --out', async () => {
    const argv = ['--workflow', 'coding', '--sessions', '50', '--seed', '1'];
    const first = await synthToStdout(argv);
    expect(await synthToStdout(argv)).toBe(first);
    expect(await synthToStdout(['--workflow', 'coding', '--sessions', '50', '--seed', '2'])).not.toBe(first);

    const io = dirIo();
    expect(await traceSynthCommand.run([...argv, '--out', 'out/coding.jsonl'], io)).toBe(0);
    const path = join(dir, 'out', 'coding.jsonl');
    expect(readFileSync(path, 'utf8')).toBe(first);
    const parsed = readTraceText(first);
    if (!parsed.ok) throw parsed.error;
    expect(io.out()).toBe(
      `wrote ${parsed.requests.length.toLocaleString('en-US')} turns of 50 coding sessions to ${path}\n`,
    );
    // Coding sessions have 20–30 turns.
    expect(parsed.requests.length).toBeGreaterThanOrEqual(50 * 20);
    expect(parsed.requests.length).toBeLessThanOrEqual(50 * 30);
    expect(new Set(parsed.requests.map((r) => r.sessionId)).size).toBe(50);
    expect(first.split('\n', 1)[0]).toContain(
      '"createdBy":"oicf trace synth --workflow coding --sessions 50 --seed 1 --rate 0.1 --block-tokens 512 --seconds-per-output-token 0.02"',
    );
  });

  it('its output feeds `oicf trace stats` (table and --json)', async () => {
    const io = dirIo();
    expect(
      await traceSynthCommand.run(
        ['--workflow', 'computer-use', '--sessions', '4', '--turns', '5', '--out', 'cu.jsonl'],
        io,
      ),
    ).toBe(0);
    const table = dirIo();
    expect(await traceStatsCommand.run(['cu.jsonl'], table)).toBe(0);
    expect(table.out()).toContain('trace       cu.jsonl (agent)');
    expect(table.out()).toContain('requests    20\n');
    expect(table.out()).toContain('sessions    4\n');
    const json = dirIo();
    expect(await traceStatsCommand.run(['cu.jsonl', '--json'], json)).toBe(0);
    const report = JSON.parse(json.out());
    expect([report.format, report.numRequests, report.numSessions]).toEqual(['agent', 20, 4]);
    // 1,500-token system prompt → floor(1500/512) = 2 shared blocks; later turns reuse earlier full
    // blocks, so reuse is well above zero but below 1.
    expect(report.prefixReuse.available).toBe(true);
    expect(report.prefixReuse.infinite.hitRatio).toBeGreaterThan(0.5);
    expect(report.prefixReuse.infinite.hitRatio).toBeLessThan(1);
  });

  it('accepts a custom workflow file', async () => {
    const spec = {
      id: 'tiny',
      numTurns: { min: 2, max: 2 },
      systemPromptTokens: 512,
      userTokensPerTurn: { min: 10, max: 10 },
      outputTokensPerTurn: { min: 5, max: 5 },
      maxContextTokens: 4096,
    };
    writeFileSync(join(dir, 'tiny.json'), JSON.stringify(spec));
    const text = await synthToStdout(['--workflow-file', 'tiny.json', '--sessions', '1']);
    const parsed = readTraceText(text);
    if (!parsed.ok) throw parsed.error;
    // Turn 0: 512 + 10 = 522 tokens; turn 1: 522 + 5 output + 10 = 537 tokens.
    expect(parsed.requests.map((r) => [r.sessionId, r.inputTokens, r.outputTokens])).toEqual([
      ['tiny-0000', 522, 5],
      ['tiny-0000', 537, 5],
    ]);
  });

  it.each([
    [[], /give exactly one of --workflow \(chat, coding, web-use, computer-use\) or --workflow-file/],
    [['--workflow', 'coding', '--workflow-file', 'x.json'], /give exactly one of/],
    [['--workflow', 'cooking'], /--workflow: unknown workflow 'cooking'; valid: chat, coding, web-use, computer-use/],
    [['--workflow', 'chat', '--sessions', 'many'], /--sessions must be an integer ≥ 1, got 'many'/],
    // 0 sessions would write only the header line: a trace with no requests.
    [['--workflow', 'chat', '--sessions', '0'], /--sessions must be an integer ≥ 1, got '0'/],
    [['--workflow', 'chat', '--seed', '1.5'], /--seed must be an integer, got '1.5'/],
    [['--workflow', 'chat', '--rate', '0'], /--rate must be a number > 0, got '0'/],
    [['--workflow', 'chat', '--turns', '0'], /--turns must be an integer ≥ 1, got '0'/],
    [['--workflow', 'chat', '--block-tokens=-4'], /--block-tokens must be an integer ≥ 1, got '-4'/],
    [['--workflow', 'chat', 'extra'], /unexpected argument 'extra'/],
    [['--workflow-file', 'missing.json'], /--workflow-file: cannot read 'missing.json' \(ENOENT\)/],
  ])('rejects %j', async (argv, message) => {
    await expect(traceSynthCommand.run(argv, dirIo())).rejects.toThrow(UsageError);
    await expect(traceSynthCommand.run(argv, dirIo())).rejects.toThrow(message);
  });

  it('lists every bad field of a workflow file', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ id: 'bad', numTurns: { min: 3, max: 1 } }));
    const run = traceSynthCommand.run(['--workflow-file', 'bad.json'], dirIo());
    await expect(run).rejects.toThrow(/numTurns\.max: must be ≥ min \(3\), got 1/);
    await expect(traceSynthCommand.run(['--workflow-file', 'bad.json'], dirIo())).rejects.toThrow(/maxContextTokens/);
  });

  it('is registered in the CLI', async () => {
    const io = dirIo();
    expect(await main(['trace', 'synth', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: oicf trace synth --workflow <id>');
  });
});
