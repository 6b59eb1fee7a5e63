// build-addon.mjs (and then native.ts) run from a copy of the package in a read-only folder (chmod 0555, no build/
// folder yet), with the system's PATH (a compiler may be there): nothing can be built, and that is the fallback
// (the pread/pwrite path) with its reason said, never a throw.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), 'oicf-build-addon-ro-test-'));
const COPY = join(DIR, 'shm-native');
mkdirSync(join(COPY, 'src'), { recursive: true });
copyFileSync(join(PKG, 'build-addon.mjs'), join(COPY, 'build-addon.mjs'));
copyFileSync(join(PKG, 'src', 'shm_native.c'), join(COPY, 'src', 'shm_native.c'));
copyFileSync(join(PKG, 'src', 'native.ts'), join(COPY, 'src', 'native.ts'));
writeFileSync(join(COPY, 'package.json'), '{ "type": "module" }\n'); // native.ts is an ES module
chmodSync(join(COPY, 'src'), 0o555);
chmodSync(COPY, 0o555);
chmodSync(DIR, 0o755); // mkdtemp makes it 0700: an unprivileged child must be able to enter it

// Root writes into a 0555 folder anyway, so as root (CI runs as root) the children run as nobody through
// setpriv (util-linux), which then meets the mode bits as any user would.
const SETPRIV = '/usr/bin/setpriv';
const AS_NOBODY = process.getuid?.() === 0 && existsSync(SETPRIV);
function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return AS_NOBODY
    ? spawnSync(SETPRIV, ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...env, HOME: tmpdir() },
      })
    : spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env });
}
function cleanUp(): void {
  chmodSync(COPY, 0o755);
  chmodSync(join(COPY, 'src'), 0o755);
  rmSync(DIR, { recursive: true, force: true });
}

/** Whether the read-only folder takes a file anyway from the children (root ignores the mode bits). */
function writableAnyway(): boolean {
  if (AS_NOBODY) return false;
  try {
    writeFileSync(join(COPY, 'probe'), '');
    rmSync(join(COPY, 'probe'));
    return true;
  } catch {
    return false;
  }
}
const skip = writableAnyway()
  ? ` (skipped: this process (uid ${process.getuid?.()}) writes into a chmod 0555 folder anyway, as root does, and no setpriv to run them as nobody)`
  : '';
if (skip !== '')
  cleanUp(); // a skipped suite runs no hooks
else afterAll(cleanUp);

describe.skipIf(skip !== '')(`the addon on a read-only tree${skip}`, () => {
  it('build-addon.mjs does not throw: the path is off, and it says the folder is not writable', () => {
    const r = run([join(COPY, 'build-addon.mjs')]);
    expect(r.status, r.stderr).toBe(0);
    // The headers or compiler may be missing here instead, which is the same fallback with its own reason.
    expect(r.stderr).toMatch(
      new RegExp(
        `native shared-memory path off: (${join(COPY, 'build')} is not writable \\(EACCES\\): the addon cannot be built there|no C compiler|no Node-API headers)`,
      ),
    );
  });

  it('shmNativeStatus() says it is off because the folder is read-only, even when asked on (OICF_SHM_NATIVE=1)', () => {
    const script = `import { shmNativeStatus } from ${JSON.stringify(join(COPY, 'src', 'native.ts'))};
console.log(JSON.stringify(shmNativeStatus()));`;
    const r = run(['--import', 'tsx', '--input-type=module', '-e', script], { ...process.env, OICF_SHM_NATIVE: '1' });
    expect(r.status, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(status.on).toBe(false);
    expect(status.reason).toBe(
      `${join(COPY, 'build', 'shm_native.node')}: not built, and ${COPY} is not writable (EACCES), so it cannot be built there: the pread/pwrite path`,
    );
  });
});
