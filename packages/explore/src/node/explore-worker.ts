// A worker thread of `oicf explore --workers N`: rebuilds the run's space, workload profile and
// configurations from the init message (all deterministic), then screens index slices and simulates single
// configurations on request, answering with plain results. The host (worker-pool.ts) schedules the jobs.
import { parentPort, workerData } from 'node:worker_threads';
import { unwrap } from '@oicf/core';
import { screenConfiguration } from '../analytic/screen.js';
import type { ScreenResult } from '../analytic/screen-types.js';
import { screenContext } from '../run/screen-all.js';
import { ConfigurationSimulation } from '../sim/simulate-configuration.js';
import { enumerateConfigurations } from '../space/enumerate.js';
import { parseSpace } from '../space/resolve-space.js';
import { profileWorkload } from '../workload/workload-profile.js';
import type { WorkerInit, WorkerJob, WorkerReply } from './worker-protocol.js';

const init = (workerData as { init: WorkerInit }).init;
const space = unwrap(parseSpace(init.spaceJson));
const profile = profileWorkload(init.requests);
const ctx = screenContext(space, profile, init.slo);
const configs = enumerateConfigurations(space);
const port = parentPort;
if (port === null) throw new Error('explore-worker: must run as a worker thread');

port.on('message', (job: WorkerJob) => {
  let reply: WorkerReply;
  if (job.kind === 'screen') {
    const results: ScreenResult[] = [];
    for (const i of job.indices) {
      const c = configs[i];
      if (c !== undefined) results.push(screenConfiguration(c, ctx));
    }
    reply = { kind: 'screened', jobId: job.jobId, results };
  } else {
    const c = configs[job.index];
    if (c === undefined) throw new Error(`explore-worker: no configuration ${job.index}`);
    const sim = new ConfigurationSimulation(c, job.screen, {
      space,
      models: ctx.models,
      requests: init.requests,
      loop: init.loop,
      slo: init.slo,
      seed: init.seed,
    });
    while (!sim.advance(50_000)) {
      port?.postMessage({ kind: 'progress', jobId: job.jobId, fraction: sim.progress() } satisfies WorkerReply);
    }
    reply = { kind: 'simulated', jobId: job.jobId, outcome: sim.outcome() };
  }
  port.postMessage(reply);
});
