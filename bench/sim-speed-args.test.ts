// The sim-speed bench records its young generation's size from --semi-space (sim-speed.json's youngGenerationMiB
// and command). A --max-semi-space-size given to node itself would take effect unrecorded, so the bench refuses it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedTrace } from '@oicf/traces/node';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;

function bench(nodeFlags: string[], args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = mkdtempSync(join(tmpdir(), 'sim-speed-args-'));
  try {
    // A trace that does not exist: a run that gets past the argument checks stops there (exit 1), before simulating.
    return spawnSync(
      process.execPath,
      [...nodeFlags, '--import', 'tsx', 'bench/sim-speed.bench.ts', '--trace', join(out, 'none.jsonl'), ...args],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 },
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('sim-speed bench --semi-space', () => {
  it("refuses node's own --max-semi-space-size that --semi-space does not say (exit 2, the flag named)", () => {
    const a = bench(['--max-semi-space-size=16'], ['--semi-space', '64']);
    expect([a.status, a.stderr]).toEqual([2, expect.stringContaining('--max-semi-space-size=16')]);
    const b = bench(['--max-semi-space-size=16'], []);
    expect([b.status, b.stderr]).toEqual([2, expect.stringContaining('--max-semi-space-size=16')]);
    const c = bench([], ['--semi-space', '64'], { NODE_OPTIONS: '--max-semi-space-size=32' });
    expect([c.status, c.stderr]).toEqual([2, expect.stringContaining('--max-semi-space-size=32')]);
  });

  it("a nonzero --semi-space: the bench's exit code comes back through the rerun (1: the trace is missing)", () => {
    const r = bench([], ['--semi-space', '64']);
    expect([r.status, r.stderr]).toEqual([1, expect.stringContaining('cannot read the trace')]);
  });
});

/** Pids of the bench's reruns under `pid`: children (/proc/<pid>/stat's fourth field) running the bench (tsx may start
 * an esbuild child too). */
function reruns(pid: number): number[] {
  const kids: number[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) continue;
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((a) => a.endsWith('bench/sim-speed.bench.ts')) && cmdline.includes('--max-semi-space-size=64')) {
        kids.push(Number(p));
      }
    } catch {}
  }
  return kids;
}

const alive = (pid: number) =>
  existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
const TRACE = sharedTrace('mooncake-fast25/conversation_trace.jsonl').path;

describe.skipIf(!existsSync(TRACE) || !existsSync('/proc/self/stat'))('sim-speed bench rerun and signals', () => {
  it('SIGTERM to the bench alone ends its rerun too, and the bench ends by SIGTERM', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sim-speed-sig-'));
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/sim-speed.bench.ts', '--semi-space', '64', '--policies', 'prefix-aware', '--out', out],
      { cwd: ROOT, stdio: 'ignore' },
    );
    const pid = parent.pid as number;
    let rerun: number | undefined;
    try {
      const exited = new Promise<[number | null, string | null]>((resolve) =>
        parent.once('exit', (code, signal) => resolve([code, signal])),
      );
      for (let i = 0; i < 600 && rerun === undefined; i++) {
        rerun = reruns(pid)[0];
        if (rerun === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      expect(rerun).toBeDefined();
      parent.kill('SIGTERM');
      expect(await exited).toEqual([null, 'SIGTERM']);
      for (let i = 0; i < 100 && alive(rerun as number); i++) await new Promise((r) => setTimeout(r, 50));
      expect(alive(rerun as number)).toBe(false);
    } finally {
      for (const p of [...(rerun === undefined ? [] : [rerun]), ...reruns(pid)])
        if (alive(p)) process.kill(p, 'SIGKILL');
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
