import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CommandLineCheck,
  checkCommandLine,
  decideStatus,
  type PidProbe,
  readCommandLine,
  type ServiceStatus,
} from './service-process.js';

const LAUNCHED = ['/usr/bin/node', '--import', 'tsx', '/repo/apps/router/src/main.ts', '--config', '/run/router.json'];

describe('checkCommandLine', () => {
  const cases: [string, string[] | undefined, string[] | undefined, CommandLineCheck][] = [
    ['identical argv', LAUNCHED, LAUNCHED, 'match'],
    ['argv[0] differs (symlinked node): ignored', ['node', ...LAUNCHED.slice(1)], LAUNCHED, 'match'],
    ['another run dir: config path differs', [...LAUNCHED.slice(0, 5), '/other/router.json'], LAUNCHED, 'mismatch'],
    ['an unrelated program reusing the PID', ['/bin/bash', '-l'], LAUNCHED, 'mismatch'],
    ['zombie / kernel thread: empty argv', [], LAUNCHED, 'mismatch'],
    ['no /proc: cannot tell', undefined, LAUNCHED, 'unknown'],
    ['old state file without commandLine', LAUNCHED, undefined, 'unknown'],
  ];
  for (const [what, actual, expected, want] of cases) {
    it(what, () => expect(checkCommandLine(actual, expected)).toBe(want));
  }
});

describe('decideStatus', () => {
  const cases: [PidProbe, string[] | undefined, CommandLineCheck, ServiceStatus][] = [
    ['gone', undefined, 'unknown', 'exited'],
    // EPERM: the launcher ran as us, so a process we may not signal is someone else's.
    ['not-permitted', undefined, 'unknown', 'not-ours'],
    ['exists', [], 'mismatch', 'exited'],
    ['exists', LAUNCHED, 'match', 'running'],
    ['exists', undefined, 'unknown', 'running'],
    ['exists', ['/bin/bash'], 'mismatch', 'not-ours'],
  ];
  for (const [probe, actual, check, want] of cases) {
    it(`${probe} + ${check} (${actual === undefined ? 'no argv' : `${actual.length} args`}) → ${want}`, () =>
      expect(decideStatus(probe, actual, check)).toBe(want));
  }
});

describe('readCommandLine', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('splits the NUL-separated file, keeps an empty argument, drops the trailing NUL', () => {
    const root = mkdtempSync(join(tmpdir(), 'oicf-proc-'));
    dirs.push(root);
    mkdirSync(join(root, '42'));
    writeFileSync(join(root, '42', 'cmdline'), 'node\0-e\0\0x\0');
    expect(readCommandLine(42, root)).toEqual(['node', '-e', '', 'x']);
    writeFileSync(join(root, '42', 'cmdline'), '');
    expect(readCommandLine(42, root)).toEqual([]);
    expect(readCommandLine(43, root)).toBeUndefined();
    expect(readCommandLine(42, join(root, 'absent'))).toBeUndefined();
  });
});
