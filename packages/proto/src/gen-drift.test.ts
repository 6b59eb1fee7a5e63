// Fails when src/generated no longer matches what scripts/gen.mjs produces from the .proto files:
// someone edited a .proto without regenerating (run `node packages/proto/scripts/gen.mjs`), or edited a
// generated file by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const committedDir = join(pkgDir, 'src', 'generated');
const tempDir = mkdtempSync(join(tmpdir(), 'oicf-proto-gen-'));

function listAbsolute(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listAbsolute(path) : [path];
  });
}

function listFiles(dir: string): string[] {
  return listAbsolute(dir)
    .map((p) => relative(dir, p))
    .sort();
}

afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('generated proto types', () => {
  it('match a fresh run of scripts/gen.mjs file for file', () => {
    const res = spawnSync(process.execPath, [join(pkgDir, 'scripts', 'gen.mjs'), '--out', tempDir], {
      encoding: 'utf8',
    });
    expect(res.status, res.stderr).toBe(0);
    const fresh = listFiles(tempDir);
    const committed = listFiles(committedDir);
    expect(committed).toEqual(fresh);
    // 69 = 59 messages + 5 enums + 5 services in oicf.v1 (count `^message`, `^enum`, `^service` in the
    // .proto sources: common 8+3, decode 7+1 service, kv_pool 20+1, prefill 3+1, router 3+1, worker 7+2+1,
    // shm 8, request_plane 3), one file each, plus the barrel index.ts and one root file per .proto (8).
    expect(fresh.length).toBe(69 + 1 + 8);
    const drifted = fresh.filter(
      (f) => readFileSync(join(tempDir, f), 'utf8') !== readFileSync(join(committedDir, f), 'utf8'),
    );
    expect(drifted, 'regenerate with: node packages/proto/scripts/gen.mjs').toEqual([]);
  });
});
