import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveRunDirs, registerRunDir, runDirRegistryFile, unregisterRunDir } from './cluster-state-registry.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'oicf-registry-'));
  dirs.push(d);
  return d;
};

describe('run dir registry', () => {
  it('lives in OICF_STATE_DIR, else XDG_STATE_HOME/oicf, else ~/.local/state/oicf', () => {
    expect(runDirRegistryFile({ OICF_STATE_DIR: '/s' }, '/home/u')).toBe('/s/clusters.json');
    expect(runDirRegistryFile({ XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/x/oicf/clusters.json');
    expect(runDirRegistryFile({}, '/home/u')).toBe('/home/u/.local/state/oicf/clusters.json');
  });

  it('registers absolute run dirs once, forgets stopped ones, and prunes dead ones when read', () => {
    const registry = { file: join(tmp(), 'nested', 'clusters.json') };
    registerRunDir(registry, '/runs/a');
    registerRunDir(registry, '/runs/b');
    registerRunDir(registry, '/runs/a');
    registerRunDir(registry, '/runs/c');
    unregisterRunDir(registry, '/runs/c');
    // b's cluster died: reading prunes it from the file too.
    expect(liveRunDirs(registry, (d) => d !== '/runs/b')).toEqual(['/runs/a']);
    expect(JSON.parse(readFileSync(registry.file, 'utf8'))).toEqual({ runDirs: ['/runs/a'] });
  });

  it('a run dir without a running service is not live; a damaged registry reads as empty', () => {
    const registry = { file: join(tmp(), 'clusters.json') };
    const runDir = tmp();
    // A state whose only service has a PID that no process has (2^22 + 1 is above Linux's pid_max).
    writeFileSync(
      join(runDir, 'state.json'),
      JSON.stringify({ startedAtUnixMs: 0, runDir, services: [{ name: 'router', app: 'router', pid: 4_194_305 }] }),
    );
    registerRunDir(registry, runDir);
    registerRunDir(registry, tmp()); // no state.json at all
    expect(liveRunDirs(registry)).toEqual([]);
    writeFileSync(registry.file, '{ not json');
    expect(liveRunDirs(registry)).toEqual([]);
  });
});
