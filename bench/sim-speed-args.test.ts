// The sim-speed bench records its young generation's size from --semi-space (sim-speed.json's youngGenerationMiB
// and command). A --max-semi-space-size given to node itself would take effect unrecorded, so the bench refuses it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
