// How fast `oicf explore` searches (issue 13 "Must show: speed"):
//   (a) the analytic screen over the default space (packages/explore/spaces/default.json, ~35,000 designs of
//       Llama-3.1-70B fp8: ≥ 10,000 required) in ≤ 10 s;
//   (b) the twin on the best 50 designs on a 10-minute coding-agent workload (sessions start at 0.2/s for
//       600 s) in ≤ 5 min, on 2 worker threads (this machine has 2 cores).
// Reports wall seconds, CPU seconds of the process from /proc/self/stat (user + system, all threads), the load
// averages before and after each stage (the machine is shared), designs per second and CPU per twin run.
// Writes bench/results/explore-speed.{json,md}.
//
//   node --import tsx bench/explore-speed.bench.ts [--space <file>] [--top 50] [--workers 2] [--rate 0.2]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { unwrap } from '@oicf/core';
import {
  enumerateConfigurations,
  parseSpace,
  profileWorkload,
  type SimOutcome,
  screenAll,
  screenContext,
  topCandidates,
  workflowWorkload,
} from '@oicf/explore';
import { DEFAULT_SPACE_FILE, ExploreWorkerPool } from '@oicf/explore/node';

const { values } = parseArgs({
  options: {
    space: { type: 'string', default: DEFAULT_SPACE_FILE },
    top: { type: 'string', default: '50' },
    workers: { type: 'string', default: '2' },
    rate: { type: 'string', default: '0.2' },
    duration: { type: 'string', default: '600' },
    out: { type: 'string', default: 'bench/results' },
  },
});

/** user + system CPU seconds of this process (every thread) so far: /proc/self/stat fields 14 and 15. */
function cpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const load = () => loadavg().map((x) => Number(x.toFixed(2)));
const slo = { ttftSeconds: 5, tpotSeconds: 0.1 };
const spaceJson = JSON.parse(readFileSync(values.space, 'utf8'));
const space = unwrap(parseSpace(spaceJson));
const model = space.model;
const workload = workflowWorkload({
  workflow: 'coding',
  sessionsPerSecond: Number(values.rate),
  durationSeconds: Number(values.duration),
  seed: 1,
  maxContextTokens: model.maxContextTokens - 1500,
});
const profile = profileWorkload(workload.requests);
const configs = enumerateConfigurations(space);

// (a) The screen, cold: a fresh context (no step times memoized).
const loadBeforeScreen = load();
let t0 = performance.now();
let c0 = cpuSeconds();
const ctx = screenContext(space, profile, slo);
const screened = screenAll(configs, ctx);
const screenWall = (performance.now() - t0) / 1000;
const screenCpu = cpuSeconds() - c0;
const loadAfterScreen = load();

// (b) The twin on the best `top`, on worker threads.
const top = topCandidates(screened, 'goodputPerUsd', Number(values.top));
const pool = new ExploreWorkerPool(Number(values.workers), {
  spaceJson,
  requests: workload.requests,
  loop: 'closed',
  slo,
  seed: 1,
});
const loadBeforeSim = load();
t0 = performance.now();
c0 = cpuSeconds();
const outcomes: SimOutcome[] = (await Promise.all(top.map((s) => pool.simulate(s.index, s)))).filter(
  (o): o is SimOutcome => o !== null,
);
const simWall = (performance.now() - t0) / 1000;
const simCpu = cpuSeconds() - c0;
const loadAfterSim = load();
await pool.close();

const result = {
  machine: { cores: cpus().length, model: cpus()[0]?.model ?? '' },
  space: { file: values.space, numConfigurations: configs.length },
  workload: {
    synth: workload.synthCommand,
    numRequests: profile.numRequests,
    durationSeconds: profile.durationSeconds,
    meanInputTokens: profile.meanInputTokens,
  },
  screen: {
    numConfigurations: screened.length,
    wallSeconds: screenWall,
    cpuSeconds: screenCpu,
    configurationsPerWallSecond: screened.length / screenWall,
    cpuMicrosecondsPerConfiguration: (screenCpu / screened.length) * 1e6,
    loadBefore: loadBeforeScreen,
    loadAfter: loadAfterScreen,
    goal: '≥ 10,000 configurations in ≤ 10 s',
    met: screened.length >= 10_000 && screenWall <= 10,
  },
  simulate: {
    numConfigurations: outcomes.length,
    workers: Number(values.workers),
    wallSeconds: simWall,
    cpuSeconds: simCpu,
    cpuSecondsPerRun: simCpu / Math.max(1, outcomes.length),
    simulatedSecondsPerRun: outcomes.reduce((a, o) => a + o.simulatedSeconds, 0) / Math.max(1, outcomes.length),
    twinWallSecondsPerRun: outcomes.map((o) => o.wallSeconds),
    loadBefore: loadBeforeSim,
    loadAfter: loadAfterSim,
    goal: 'the best 50 on a 10-minute agent workload in ≤ 5 min',
    met: outcomes.length >= 50 && simWall <= 300,
  },
};

const f = (x: number, d = 1) => x.toFixed(d);
const md = `# explore speed

Machine: ${result.machine.cores} cores (${result.machine.model}); shared, load averages (1, 5, 15 min) below.
Workload: \`${result.workload.synth}\` — ${result.workload.numRequests} requests over ${f(result.workload.durationSeconds, 0)} s, mean prompt ${f(result.workload.meanInputTokens, 0)} tokens.
Space: \`${values.space.replace(/^.*packages\//, 'packages/')}\`, ${result.space.numConfigurations} designs.

| stage | designs | wall s | CPU s (process, /proc) | per design | load before → after | goal | met |
| --- | ---: | ---: | ---: | ---: | --- | --- | --- |
| analytic screen (1 thread, cold) | ${result.screen.numConfigurations} | ${f(screenWall, 2)} | ${f(screenCpu, 2)} | ${f(result.screen.cpuMicrosecondsPerConfiguration, 0)} µs CPU | ${loadBeforeScreen.join(', ')} → ${loadAfterScreen.join(', ')} | ${result.screen.goal} | ${result.screen.met ? 'yes' : 'no'} |
| twin, best ${values.top} (${values.workers} worker threads) | ${outcomes.length} | ${f(simWall)} | ${f(simCpu)} | ${f(result.simulate.cpuSecondsPerRun, 2)} s CPU (${f(result.simulate.simulatedSecondsPerRun, 0)} simulated s) | ${loadBeforeSim.join(', ')} → ${loadAfterSim.join(', ')} | ${result.simulate.goal} | ${result.simulate.met ? 'yes' : 'no'} |

Wall time on a loaded machine overstates what a quiet one takes; CPU seconds (all threads of this process) are
the work done. With 2 cores the twin stage can at best run in CPU ÷ 2 of wall.
`;
mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, 'explore-speed.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(values.out, 'explore-speed.md'), md);
process.stdout.write(md);
