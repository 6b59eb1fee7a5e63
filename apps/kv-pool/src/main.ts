// kv-pool: the tiered KV block pool (dram, cxl, optical-pool, disk) as a service.
// Wiring only: config → tier stores → pool → gRPC control + WebSocket data plane + /metrics
// (see server.ts). Prints one JSON line with the bound endpoints; SIGTERM drains and exits, and so does
// the death of its parent (OICF_PARENT_PID, set by the launcher and tests).
import { type ConfigError, exitWithParentFromEnv, loadClusterCredentialsFromEnv } from '@oicf/transport';
import { loadKvPoolConfig } from './config.js';
import { startKvPool } from './server.js';

let config: ReturnType<typeof loadKvPoolConfig>;
try {
  config = loadKvPoolConfig({ env: process.env, argv: process.argv.slice(2) });
} catch (err) {
  process.stderr.write(`${(err as ConfigError).message}\n`);
  process.exit(2);
}
try {
  // Cluster credentials (OICF_CLUSTER_AUTH_FILE, written by the launcher): only members may call the pool.
  loadClusterCredentialsFromEnv(process.env);
} catch (err) {
  process.stderr.write(`kv-pool: ${(err as Error).message}\n`);
  process.exit(2);
}
const { service } = await startKvPool(config);
exitWithParentFromEnv(process.env, () => service.shutdown('parent process exited'));
