// A scripted decode worker as its own process, for the router latency bench: registers with the router
// at --router <host:port>, prints {"event":"worker","grpcAddress":…} and serves until SIGTERM or until
// its parent (OICF_PARENT_PID) is gone.
import { exitWithParent } from '@oicf/transport';
import { startScriptedWorker } from '../src/testing/scripted-worker.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`missing --${name}`);
  return v;
};

const worker = await startScriptedWorker({
  workerId: arg('id'),
  role: 'decode',
  routerGrpcAddress: arg('router'),
  text: 'x',
});
process.stdout.write(
  `${JSON.stringify({ event: 'worker', grpcAddress: worker.grpcAddress, wsAddress: worker.wsAddress })}\n`,
);
const stop = () => {
  void worker.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
const parent = process.env.OICF_PARENT_PID;
if (parent !== undefined && parent !== '') exitWithParent(Number(parent), stop);
