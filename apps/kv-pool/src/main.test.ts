// The kv-pool as a process: it stops by itself when its parent (OICF_PARENT_PID, set by the launcher and
// tests) is gone, so a crashed launcher leaves no pool holding its ports.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('kv-pool process', () => {
  it('shuts down when its parent (OICF_PARENT_PID) is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--tiers.dram.capacityBytes=1048576'], {
      cwd: ROOT,
      env: { ...process.env, OICF_PARENT_PID: String(gone) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
    expect(out).toContain('"event":"listening"');
    expect(out).toContain('parent process exited');
    expect(code).toBe(0);
  });
});
