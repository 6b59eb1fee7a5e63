import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OicfCoreError } from '@oicf/core';
import { CalibrationFileError } from '@oicf/kernels';
import { afterAll, describe, expect, it } from 'vitest';
import { cliVersion, inputErrorMessage, main } from './main.js';
import { captureIo } from './testing/capture-io.js';

const dir = mkdtempSync(join(tmpdir(), 'oicf-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function oicf(argv: string[]) {
  const io = captureIo(dir);
  const code = await main(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('command groups', () => {
  it.each([
    [['cluster', '--help'], 'cluster', ['cluster up', 'cluster down', 'cluster status']],
    [['trace', '-h'], 'trace', ['trace stats', 'trace synth']],
  ])('%j prints the group help, exit 0', async (argv, word, names) => {
    const r = await oicf(argv);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Usage: oicf ${word} <subcommand> [options]`);
    for (const name of names) expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(r.stdout).not.toContain('unknown command');
  });

  it.each([
    [['cluster'], "oicf: 'oicf cluster' needs a subcommand", ['cluster up', 'cluster down', 'cluster status']],
    [['trace'], "oicf: 'oicf trace' needs a subcommand", ['trace stats', 'trace synth']],
    [['trace', 'bogus'], "oicf: unknown command 'trace bogus'", ['trace stats', 'trace synth']],
  ])('%j lists the subcommands on stderr, exit 2', async (argv, first, names) => {
    const r = await oicf(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(first);
    for (const name of names) expect(r.stderr).toContain(`  ${name}`);
  });

  it('a word that is no command or group still lists every command', async () => {
    const r = await oicf(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^oicf: unknown command 'frobnicate'\n\n.*Commands:/s);
  });
});

describe('input errors become one line and exit 2', () => {
  it('oicf roofline --calibration <bad file> (read before anything is measured)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'oicf-calibration', version: 1 }));
    const r = await oicf(['roofline', '--quick', '--no-files', '--calibration', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^oicf roofline: bad calibration file: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid calibration profile \\(.*peakFlopsPerSecond`,
      ),
    );
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it.each([
    [new CalibrationFileError('x.json: not JSON'), 'bad calibration file: x.json: not JSON'],
    [
      new OicfCoreError({ code: 'INVALID_ARGUMENT', message: 'batch: must be an integer ≥ 1, got 0' }),
      'batch: must be an integer ≥ 1, got 0',
    ],
    [new OicfCoreError({ code: 'NOT_FOUND', message: "unknown model 'x'" }), "unknown model 'x'"],
    [new Error('a bug'), undefined],
    [new TypeError('also a bug'), undefined],
  ])('%s', (err, message) => {
    expect(inputErrorMessage(err)).toBe(message);
  });
});

describe('--version', () => {
  it.each([['--version'], ['-V'], ['version']])('%s prints the CLI version, exit 0', async (flag) => {
    const r = await oicf([flag]);
    expect(r).toEqual({ code: 0, stdout: 'oicf 0.1.0\n', stderr: '' }); // apps/cli/package.json
    expect(cliVersion()).toBe('0.1.0');
  });
});

describe('did you mean', () => {
  it.each([
    [['analyse'], "oicf: unknown command 'analyse' (did you mean 'oicf analyze'?)"],
    [['clustr', 'up'], "oicf: unknown command 'clustr up' (did you mean 'oicf cluster up'?)"],
    [['trace', 'stat', 'x.jsonl'], "oicf: unknown command 'trace stat x.jsonl' (did you mean 'oicf trace stats'?)"],
  ])('%j', async (argv, first) => {
    const r = await oicf(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(first);
  });

  it.each([
    // parseFlags (trace stats) and a command that calls parseArgs itself (roofline) read the same.
    [['trace', 'stats', '--jsno', 'x.jsonl'], "oicf trace stats: unknown option '--jsno' (did you mean '--json'?)"],
    [['roofline', '--quik'], "oicf roofline: unknown option '--quik' (did you mean '--quick'?)"],
    [['trace', 'synth', '--out'], 'oicf trace synth: --out needs a value: --out <value>'],
  ])('%j: one clear line, then the usage hint, exit 2', async (argv, first) => {
    const r = await oicf(argv);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(first);
    expect(lines.slice(1)).toEqual([
      `Run 'oicf ${argv
        .slice(0, 2)
        .filter((w) => !w.startsWith('-'))
        .join(' ')} --help' for usage.`,
    ]);
  });
});
