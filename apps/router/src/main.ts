// The router process: config → startRouter. Exits 2 listing every bad config field; shuts down with its
// parent (OICF_PARENT_PID) and drains on SIGTERM (startService).
import { ConfigError, exitWithParentFromEnv, loadClusterCredentialsFromEnv, loadConfig } from '@oicf/transport';
import { routerConfigSchema } from './config.js';
import { startRouter } from './server.js';

let config: ReturnType<typeof routerConfigSchema.parse>;
try {
  config = loadConfig(routerConfigSchema, {
    name: 'router',
    env: process.env,
    envPrefix: 'OICF_ROUTER_',
    argv: process.argv.slice(2),
  });
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(2);
}

try {
  // Cluster credentials (OICF_CLUSTER_AUTH_FILE, written by the launcher): internal planes authenticate.
  loadClusterCredentialsFromEnv(process.env);
} catch (err) {
  process.stderr.write(`router: ${(err as Error).message}\n`);
  process.exit(2);
}
const router = await startRouter(config);
exitWithParentFromEnv(process.env, () => router.shutdown('parent process exited'));
