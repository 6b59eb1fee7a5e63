#!/usr/bin/env node
// Builds packages/shm-native/build/shm_native.node from src/shm_native.c with the system C compiler, without
// node-gyp (no network): `cc -O2 -shared -fPIC -I<node headers> src/shm_native.c -o build/shm_native.node`.
// Headers: <dirname(process.execPath)>/../include/node when present (official Node builds ship them), else the
// `node-api-headers` package if installed. Rebuilt only when the source, the command or the headers' folder
// changed (build/stamp.json). No compiler (or a failed compile): the native path is off, said in one line, and
// every caller uses the pread/pwrite path (src/native.ts).
//
//   node packages/shm-native/build-addon.mjs           build when missing or stale
//   node packages/shm-native/build-addon.mjs --force   build
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ADDON_PATH = join(HERE, 'build', 'shm_native.node');
const SOURCE = join(HERE, 'src', 'shm_native.c');
const STAMP = join(HERE, 'build', 'stamp.json');

/** Removes `path` if there; on a read-only tree says why it could not (undefined when it is gone). */
function remove(path) {
  try {
    rmSync(path, { force: true });
    return undefined;
  } catch (err) {
    return `${path} could not be removed (${err?.code ?? String(err)})`;
  }
}

/** The folder holding node_api.h, or undefined. */
export function nodeApiHeaders() {
  const bundled = join(dirname(process.execPath), '..', 'include', 'node');
  if (existsSync(join(bundled, 'node_api.h'))) return bundled;
  try {
    const pkg = createRequire(import.meta.url).resolve('node-api-headers/package.json');
    const dir = join(dirname(pkg), 'include');
    if (existsSync(join(dir, 'node_api.h'))) return dir;
  } catch {}
  return undefined;
}

function compiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang']) {
    if (cc === undefined || cc === '') continue;
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
      return cc;
    } catch {}
  }
  return undefined;
}

/** SHA-256 of the C source. */
function sourceHash() {
  return createHash('sha256').update(readFileSync(SOURCE)).digest('hex');
}

/**
 * With nothing to build it: an addon left by an earlier build stays only when it was built from this source (a
 * checkout that changed the source on a host that has lost its compiler must not load the old code).
 */
function off(reason) {
  let kept = false;
  try {
    kept = JSON.parse(readFileSync(STAMP, 'utf8')).source === sourceHash();
  } catch {}
  const left = kept ? undefined : remove(ADDON_PATH);
  return { state: 'off', reason: left === undefined ? reason : `${reason}; ${left}` };
}

/**
 * Builds the addon when missing or stale. Returns `{ state: 'fresh' | 'built' }`, or `{ state: 'off', reason }`
 * (no compiler, no headers, a read-only tree, a failed compile); never throws.
 */
export function ensureShmNativeBuilt({ force = false } = {}) {
  const headers = nodeApiHeaders();
  if (headers === undefined) {
    return off('no Node-API headers (neither <node>/include/node nor node-api-headers)');
  }
  const cc = compiler();
  if (cc === undefined) return off('no C compiler (cc, gcc or clang) on PATH');
  const args = ['-O2', '-shared', '-fPIC', '-I', headers, SOURCE, '-o'];
  const key = createHash('sha256')
    .update(readFileSync(SOURCE))
    .update(JSON.stringify([cc, args, process.platform, process.arch]))
    .digest('hex');
  if (!force && existsSync(ADDON_PATH) && existsSync(STAMP)) {
    try {
      if (JSON.parse(readFileSync(STAMP, 'utf8')).key === key) return { state: 'fresh' };
    } catch {}
  }
  // A read-only tree (an installed package, a read-only mount): nothing can be built here, the pread/pwrite path.
  const buildDir = join(HERE, 'build');
  try {
    mkdirSync(buildDir, { recursive: true });
    accessSync(buildDir, constants.W_OK);
  } catch (err) {
    return off(`${buildDir} is not writable (${err?.code ?? String(err)}): the addon cannot be built there`);
  }
  const tmp = `${ADDON_PATH}.${process.pid}.tmp`;
  try {
    execFileSync(cc, [...args, tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
    renameSync(tmp, ADDON_PATH);
    writeFileSync(STAMP, `${JSON.stringify({ key, source: sourceHash(), cc, headers })}\n`);
    return { state: 'built' };
  } catch (err) {
    remove(tmp);
    const left = remove(ADDON_PATH); // stale: never load code older than the source
    const stderr = String(err?.stderr ?? err)
      .trim()
      .split('\n')[0];
    const reason = `${cc} failed to compile src/shm_native.c: ${stderr}`;
    return { state: 'off', reason: left === undefined ? reason : `${reason}; ${left}` };
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = ensureShmNativeBuilt({ force: process.argv.includes('--force') });
  if (r.state === 'off') process.stderr.write(`oicf: native shared-memory path off: ${r.reason}\n`);
  else process.stderr.write(`shm-native: ${r.state} (${ADDON_PATH})\n`);
}
