// The supervisor process of a detached `oicf cluster up` (supervised-launch.ts starts it): launches the
// cluster as its own children, supervises it (supervisor.ts) until SIGTERM/SIGINT, then stops every service
// and exits. Its services exit if it dies (OICF_PARENT_PID). Progress and events go to stdout as JSON lines
// (<runDir>/supervisor.log).
//
//   node --import tsx packages/cluster/src/supervisor-main.ts <cluster.json> <runDir>
import { readFileSync } from 'node:fs';
import { parseClusterConfig } from './cluster-config.js';
import { launchCluster, REPO_ROOT } from './launcher.js';
import { stopServices } from './service-process.js';
import { Supervisor } from './supervisor.js';

const [configFile, runDir] = process.argv.slice(2);
const line = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
if (configFile === undefined || runDir === undefined) {
  line({ event: 'supervisor_failed', error: 'usage: supervisor-main.ts <cluster.json> <runDir>' });
  process.exit(2);
}
const parsed = parseClusterConfig(JSON.parse(readFileSync(configFile, 'utf8')), configFile);
if (!parsed.ok) {
  line({ event: 'supervisor_failed', error: parsed.errors.join('; ') });
  process.exit(2);
}
const abort = new AbortController();
const onSignal = () => abort.abort();
process.once('SIGTERM', onSignal);
process.once('SIGINT', onSignal);
try {
  const cluster = await launchCluster(parsed.value, {
    runDir,
    signal: abort.signal,
    onProgress: (message) => line({ event: 'progress', message }),
  });
  const supervisor = new Supervisor(cluster, { cwd: REPO_ROOT, onEvent: line });
  supervisor.start();
  line({ event: 'supervising', pid: process.pid, services: cluster.services.length });
  await new Promise<void>((resolve) => {
    if (abort.signal.aborted) resolve();
    else abort.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await supervisor.stop();
  await stopServices([...supervisor.state.services].reverse());
  line({ event: 'supervisor_stopped' });
  process.exit(0);
} catch (err) {
  line({ event: 'supervisor_failed', error: (err as Error).message });
  process.exit(1);
}
