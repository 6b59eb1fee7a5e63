// Bad config files: each app, started as a process the way the launcher starts it, exits 2 listing every
// bad field; `oicf cluster up --config` lists every bad field of a cluster config and starts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterUpCommand } from '@oicf/cli';
import { captureIo } from '@oicf/cli/testing';
import { APP_MAIN, REPO_ROOT } from '@oicf/cluster';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'oicf-bad-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config files', () => {
  const run = (app: keyof typeof APP_MAIN, file: string) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', APP_MAIN[app], '--config', file], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('exit', (code) => resolve({ code, stderr }));
    });
  const write = (name: string, content: object) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const worker = (role: string) =>
    write(`${role}.json`, { workerId: 'bad id!', role, model: 'tiny-nope', threads: 0, emulate: 'llama', bogus: 1 });

  it.each([
    {
      app: 'router' as const,
      file: () =>
        write('router.json', { httpPort: 'x', model: 'gpt-9', mode: 'sideways', policy: { name: 'nope' }, bogus: 1 }),
      paths: ['httpPort', 'model', 'mode', 'policy.name', 'bogus'],
    },
    {
      app: 'kv-pool' as const,
      file: () =>
        write('pool.json', {
          blockTokens: -1,
          policy: { name: 'fifo' },
          tiers: { dram: { capacityBytes: 'lots' } },
          bogus: 1,
        }),
      paths: ['blockTokens', 'policy.name', 'tiers.dram.capacityBytes', 'bogus'],
    },
    {
      app: 'prefill-worker' as const,
      file: () => worker('prefill'),
      paths: ['workerId', 'model', 'threads', 'emulate', 'bogus'],
    },
    {
      app: 'decode-worker' as const,
      file: () => worker('chef'),
      paths: ['workerId', 'role', 'model', 'threads', 'emulate', 'bogus'],
    },
  ])('$app exits 2 listing every bad field', async ({ app, file, paths }) => {
    const { code, stderr } = await run(app, file());
    expect(code).toBe(2);
    const listed = stderr
      .split('\n')
      .filter((l) => l.startsWith('  '))
      .map((l) => l.trim().split(':')[0]);
    expect(listed).toEqual(paths);
  });

  it('oicf cluster up --config lists every bad field and starts nothing', async () => {
    const file = write('cluster.json', {
      model: 'gpt-7',
      router: { policy: 'nope' },
      decode: { count: 0, emulate: 'llama-3.1-70b@tpu' },
      pool: { policy: 'fifo' },
    });
    const io = captureIo(dir);
    const code = await clusterUpCommand.run(['--config', file, '--run-dir', join(dir, 'never')], io);
    expect(code).toBe(2);
    const listed = io
      .err()
      .split('\n')
      .filter((l) => l.startsWith('  '))
      .map((l) => l.trim().split(': ')[1]);
    expect(listed).toEqual(['model', 'router.policy', 'decode.count', 'decode.emulate', 'pool.policy']);
    expect(io.out()).toBe('');
  });
});
