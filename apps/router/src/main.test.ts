// The router as a process (the launcher's view): config errors exit 2 listing every bad field; a good
// config prints the `listening` line; SIGTERM drains and exits 0; a dead OICF_PARENT_PID stops it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { child, out: () => out };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

async function listening(out: () => string): Promise<{ http: string }> {
  const end = Date.now() + 20_000;
  for (;;) {
    const line = out()
      .split('\n')
      .find((l) => l.includes('"event":"listening"'));
    if (line !== undefined) return (JSON.parse(line) as { endpoints: { http: string } }).endpoints;
    if (Date.now() > end) throw new Error(`no listening line; output:\n${out()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('router process', () => {
  it('exits 2 listing every bad config field', async () => {
    const { child, out } = start(['--model=nope', '--mode=sideways', '--httpPort=-1']);
    expect(await exited(child)).toBe(2);
    expect(out()).toMatch(/invalid router config, 3 problems/);
    for (const field of ['model', 'mode', 'httpPort']) expect(out()).toContain(`  ${field}: `);
  });

  it('listens, is not ready without workers, and drains on SIGTERM with exit 0', async () => {
    const { child, out } = start(['--logLevel=warn']);
    const ep = await listening(out);
    expect((await fetch(`${ep.http}/healthz`)).status).toBe(200);
    expect((await fetch(`${ep.http}/readyz`)).status).toBe(503);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(out()).toContain('"event":"stopped"');
  });

  it('shuts down when its parent (OICF_PARENT_PID) is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const { child, out } = start(['--logLevel=warn'], { OICF_PARENT_PID: String(gone) });
    await listening(out);
    expect(await exited(child)).toBe(0);
    expect(out()).toContain('parent process exited');
  });
});
