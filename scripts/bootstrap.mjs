#!/usr/bin/env node
// Makes `npm start` and `npm test` work on a fresh clone with only Node 20 and npm:
// installs the workspace with the pinned pnpm (through npx) when node_modules is
// missing or older than the lockfile, then builds the services (dist/services, see
// build-services.mjs) when their sources changed since the last build, and the shared-memory addon
// (packages/shm-native/build-addon.mjs) when missing or stale. Exits non-zero with the install's or the
// services build's own error; an addon that cannot be built (no C compiler) is one line, not an error:
// the shared-memory path then runs on pread/pwrite.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  process.stderr.write('oicf: installing dependencies with pnpm 12.4.2 (first run only)…\n');
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
  const pnpm = hasPnpm() ? ['pnpm'] : ['npx', '--yes', 'pnpm@12.4.2'];
  execFileSync(pnpm[0], [...pnpm.slice(1), 'install', '--frozen-lockfile'], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
}

// After the install: esbuild is there now. Quiet when the build is current.
const { ensureServicesBuilt } = await import('./build-services.mjs');
try {
  await ensureServicesBuilt(root);
} catch (err) {
  process.stderr.write(`oicf: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

// The native shared-memory path (mmap, XXH32 in C): built once per source change, in packages/shm-native/build.
const { ensureShmNativeBuilt } = await import('../packages/shm-native/build-addon.mjs');
const addon = ensureShmNativeBuilt();
if (addon.state === 'off') {
  process.stderr.write(`oicf: native shared-memory path off (${addon.reason}); using pread/pwrite\n`);
}

function hasPnpm() {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim() === '12.4.2';
  } catch {
    return false;
  }
}
