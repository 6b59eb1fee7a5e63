#!/usr/bin/env node
// Builds the serving processes (router, prefill and decode workers, kv-pool) into dist/services/<app>.mjs,
// so they run as plain JavaScript: no TypeScript loader (tsx) at run time. `node --import tsx <main.ts>`
// still works for development; the launcher (`oicf cluster up`), the deploy images and the benchmarks run
// the build through scripts/run-service.mjs, which never runs a stale one.
//
//   node scripts/build-services.mjs            build when stale (says so), else nothing
//   node scripts/build-services.mjs --force    build
//   node scripts/build-services.mjs --check    exit 1 (and say why) when stale; never builds
//
// What a bundle holds: every workspace module the app imports (@oicf/*, TypeScript compiled by esbuild).
// Third-party packages stay outside, imported by a path relative to the bundle that esbuild resolves
// exactly as Node would from the importing workspace (pnpm's strict layout), so native addons
// (onnxruntime-node, bufferutil) and package data load from node_modules as before. `import.meta.url` in
// a workspace module is rewritten to that module's own source URL, so files it reads next to itself (the
// .proto contracts, fixtures) are found where they always were.
//
// Freshness: dist/services/build-stamp.json records the SHA-256 of every input file (all bundled sources,
// the lockfile, tsconfig.base.json and this script). A build is stale when any of them changed, or a bundle
// is missing; `checkServicesBuild` says which file. Hashing ~300 files takes milliseconds.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);

/** Each service's entry point, relative to the repository root. */
export const SERVICE_ENTRIES = {
  router: 'apps/router/src/main.ts',
  'prefill-worker': 'apps/prefill-worker/src/main.ts',
  'decode-worker': 'apps/decode-worker/src/main.ts',
  'kv-pool': 'apps/kv-pool/src/main.ts',
};

/** Files whose change invalidates every bundle besides the bundled sources. */
const GLOBAL_INPUTS = ['pnpm-lock.yaml', 'tsconfig.base.json', relative(REPO_ROOT, SELF)];
const STAMP_VERSION = 1;

export function servicesDir(root = REPO_ROOT) {
  return join(root, 'dist', 'services');
}

/** Path of an app's bundle. */
export function serviceBundle(app, root = REPO_ROOT) {
  return join(servicesDir(root), `${app}.mjs`);
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Whether the build in dist/services matches the sources: `{ fresh: true }`, or `{ fresh: false, reason }`
 * naming the first input that changed (or what is missing).
 */
export function checkServicesBuild(root = REPO_ROOT) {
  const stampFile = join(servicesDir(root), 'build-stamp.json');
  if (!existsSync(stampFile)) return { fresh: false, reason: 'no build yet' };
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return { fresh: false, reason: 'the build stamp is unreadable' };
  }
  if (stamp.version !== STAMP_VERSION) return { fresh: false, reason: 'the build stamp is from another version' };
  for (const app of Object.keys(SERVICE_ENTRIES)) {
    if (!existsSync(serviceBundle(app, root))) return { fresh: false, reason: `${app}.mjs is missing` };
  }
  for (const [file, hash] of Object.entries(stamp.inputs)) {
    const path = join(root, file);
    if (!existsSync(path)) return { fresh: false, reason: `${file} was removed` };
    if (sha256(path) !== hash) return { fresh: false, reason: `${file} changed` };
  }
  return { fresh: true };
}

/** The esbuild plugin that keeps third-party packages outside the bundle (see the header). */
function externalPackages(outDir) {
  return {
    name: 'oicf-external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.fromPlugin === true) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        if (args.path.startsWith('@oicf/')) return undefined; // workspace code: bundled
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { fromPlugin: true },
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        const rel = relative(outDir, resolved.path).split(sep).join('/');
        return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
      });
    },
  };
}

/** Rewrites `import.meta.url` in workspace sources to the module's own source URL (see the header). */
function sourceUrls(outDir) {
  return {
    name: 'oicf-source-urls',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const rel = relative(outDir, args.path).split(sep).join('/');
        return {
          contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
          loader: 'ts',
        };
      });
    },
  };
}

/**
 * esbuild options for bundles of `entries` ({ name: repo-relative entry }) written to `outDir`; third-party
 * imports are made relative to `finalDir`, where the bundles will be run from (also used by tests with
 * write: false).
 */
export function serviceBuildOptions(outDir, entries = SERVICE_ENTRIES, root = REPO_ROOT, finalDir = servicesDir(root)) {
  return {
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([app, file]) => [app, join(root, file)])),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    banner: {
      js: '// Built by scripts/build-services.mjs from the TypeScript sources: run it with scripts/run-service.mjs.',
    },
    // Relative paths are computed against the final directory, where the bundles will live.
    plugins: [externalPackages(finalDir), sourceUrls(finalDir)],
  };
}

/**
 * Bundles other entry points the same way, straight into `outDir` (benchmark helpers such as the scripted
 * worker; no stamp: callers rebuild them each time, in well under a second).
 */
export async function buildBundles(entries, outDir, root = REPO_ROOT) {
  const esbuild = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  await esbuild.build(serviceBuildOptions(outDir, entries, root, outDir));
  return Object.fromEntries(Object.keys(entries).map((name) => [name, join(outDir, `${name}.mjs`)]));
}

/** Builds every service bundle into dist/services (atomically per file) and writes the stamp. */
export async function buildServices(root = REPO_ROOT) {
  const esbuild = await import('esbuild');
  const dir = servicesDir(root);
  const tmp = join(root, 'dist', `.services-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    const result = await esbuild.build(serviceBuildOptions(tmp, SERVICE_ENTRIES, root, dir));
    const inputs = {};
    for (const file of [...Object.keys(result.metafile.inputs), ...GLOBAL_INPUTS].sort()) {
      inputs[file.split(sep).join('/')] = sha256(join(root, file));
    }
    mkdirSync(dir, { recursive: true });
    for (const app of Object.keys(SERVICE_ENTRIES)) {
      for (const ext of ['.mjs', '.mjs.map']) renameSync(join(tmp, `${app}${ext}`), join(dir, `${app}${ext}`));
    }
    const stamp = { version: STAMP_VERSION, builtAt: new Date().toISOString(), inputs };
    const stampTmp = join(tmp, 'build-stamp.json');
    writeFileSync(stampTmp, `${JSON.stringify(stamp, null, 1)}\n`);
    renameSync(stampTmp, join(dir, 'build-stamp.json'));
    return { numInputs: Object.keys(inputs).length };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Builds when the build is stale; returns what happened. `log` gets one line when it builds (never silent
 * about it). A read-only checkout with a stale build is an error naming the changed file.
 */
export async function ensureServicesBuilt(root = REPO_ROOT, log = (line) => process.stderr.write(`${line}\n`)) {
  const check = checkServicesBuild(root);
  if (check.fresh) return { built: false };
  log(`oicf: building the services into dist/services (${check.reason})…`);
  const t0 = performance.now();
  try {
    const { numInputs } = await buildServices(root);
    log(
      `oicf: built ${Object.keys(SERVICE_ENTRIES).length} services from ${numInputs} files in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  } catch (err) {
    throw new Error(
      `cannot build the services (${check.reason}): ${err instanceof Error ? err.message : String(err)}; run \`node scripts/build-services.mjs\` where the checkout is writable`,
    );
  }
  return { built: true, reason: check.reason };
}

const isMain = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (isMain) {
  const args = process.argv.slice(2);
  if (args.includes('--check')) {
    const check = checkServicesBuild();
    if (check.fresh) {
      process.stdout.write('oicf: the services build is up to date\n');
    } else {
      process.stderr.write(`oicf: the services build is stale: ${check.reason}\n`);
      process.exit(1);
    }
  } else if (args.includes('--force')) {
    const { numInputs } = await buildServices();
    process.stdout.write(
      `oicf: built the services from ${numInputs} files into ${relative(process.cwd(), servicesDir()) || '.'}\n`,
    );
  } else {
    const { built } = await ensureServicesBuilt();
    if (!built) process.stdout.write('oicf: the services build is up to date\n');
  }
}
