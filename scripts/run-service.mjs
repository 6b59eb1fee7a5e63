#!/usr/bin/env node
import { pathToFileURL } from 'node:url';
// Runs one service from its build (dist/services/<app>.mjs, see build-services.mjs), never a stale one:
// the build is checked against the sources first and rebuilt (saying so on stderr) when they changed;
// a checkout where it cannot be rebuilt (a read-only mount) is an error naming the changed file.
//
//   node scripts/run-service.mjs <router|prefill-worker|decode-worker|kv-pool> [service flags…]
//
// The service then runs in this process with the flags that follow the app name (`--config <file>`, …).
import { ensureServicesBuilt, SERVICE_ENTRIES, serviceBundle } from './build-services.mjs';

const app = process.argv[2];
if (app === undefined || !Object.hasOwn(SERVICE_ENTRIES, app)) {
  process.stderr.write(
    `usage: node scripts/run-service.mjs <${Object.keys(SERVICE_ENTRIES).join('|')}> [flags…] (got ${JSON.stringify(app ?? '')})\n`,
  );
  process.exit(2);
}
try {
  await ensureServicesBuilt();
} catch (err) {
  process.stderr.write(`oicf: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
// Stack traces of the bundle point into the TypeScript sources.
process.setSourceMapsEnabled(true);
// The service reads its flags from process.argv.slice(2): drop the app name.
process.argv.splice(2, 1);
await import(pathToFileURL(serviceBundle(app)).href);
