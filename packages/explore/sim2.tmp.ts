import { readFileSync } from 'node:fs';
import { unwrap } from '@oicf/core';
import {
  designToSim,
  enumerateConfigurations,
  newRecorder,
  parseSpace,
  profileWorkload,
  screenConfiguration,
  screenContext,
  workflowWorkload,
} from '@oicf/explore';
import { SimRun } from '@oicf/sim';

const space = unwrap(parseSpace(JSON.parse(readFileSync(process.env.SPACE ?? 'spaces/example.json', 'utf8'))));
const wl = workflowWorkload({
  workflow: 'coding',
  sessionsPerSecond: 0.2,
  durationSeconds: 600,
  seed: 1,
  maxContextTokens: 131072 - 1500,
});
const profile = profileWorkload(wl.requests);
const configs = enumerateConfigurations(space);
const slo = { ttftSeconds: 5, tpotSeconds: 0.1 };
const ctx = screenContext(space, profile, slo);
const c = configs.find((c) => c.id === process.argv[2])!;
const s = screenConfiguration(c, ctx);
const rec = newRecorder();
const { cluster } = designToSim(c, space, ctx.models, s, rec);
console.log(
  JSON.stringify({ ...cluster, workers: cluster.workers.map((w) => ({ ...w, stepTime: undefined })) }, null, 0).slice(
    0,
    1500,
  ),
);
const run = new SimRun(cluster, {
  requests: wl.requests.slice(0, Number(process.argv[3] ?? 3011)),
  loop: 'closed',
  seed: 1,
  blockIds: 'fast',
});
const t0 = performance.now();
while (!run.advance(50000)) {}
const r = run.finish();
console.log(
  'wall',
  ((performance.now() - t0) / 1000).toFixed(1),
  JSON.stringify(r.stats.router),
  'events',
  r.stats.numEvents,
  JSON.stringify(rec),
);
console.log(
  JSON.stringify(
    r.stats.workers.map((w) => ({
      id: w.workerId,
      busy: w.busyFraction.toFixed(2),
      pf: w.numPrefillSteps,
      dec: w.numDecodeSteps,
      pt: w.prefillTokens,
      local: w.localTokens,
      pool: w.poolTokens,
    })),
  ),
);
const errs = new Map();
for (const x of r.run.records)
  if (x.status !== 'ok')
    errs.set(
      x.errorCode + ' ' + (x.errorMessage ?? '').slice(0, 40),
      (errs.get(x.errorCode + ' ' + (x.errorMessage ?? '').slice(0, 40)) ?? 0) + 1,
    );
console.log([...errs]);
