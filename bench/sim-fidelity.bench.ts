// Does the cluster twin tell the truth? (issue 12 "Must show: fidelity"). The same window of the Mooncake
// conversation trace (the first 300 requests, token-scaled so the longest fits the tiny model's
// 8,192-token context) is replayed on the real local cluster (@oicf/cluster launcher + @oicf/loadgen
// replay, as `oicf replay` does) and simulated by the twin from the same cluster config, in two modes:
//
//   a  real kernels: the workers run tiny-gqa for real; the twin prices steps with this machine's
//      calibrated step-time model (`oicf roofline`; skipped, and said so, when this build has none)
//   b  --emulate llama-3.1-70b@h100: the workers pace to the analytic prediction; the twin uses the same
//      `oicf` model (and the calibrated one, when there is one, for the real kernel under the pacing)
//
// Compared per mode: TTFT p50/p90/p99, TPOT p50/p90, throughput (req/s, output tok/s), goodput and the
// prefix-hit ratio. Goal: within 10 % on p50, p90 and throughput, hit ratio within 2 points. The real
// cluster runs in wall time on this machine's shared cores, so the result depends on what else runs:
// the load average before and after each run is recorded. Writes bench/results/sim-fidelity.{json,md}
// and each run's own reports under bench/results/sim-fidelity/.
//
// Host costs: every real run samples each service's CPU (/proc: whole process and main thread) and counters
// (/metrics) each second (bench/host-sampler.ts). `--fit-host` fits this machine's host-cost model from
// the first real run's samples and writes it to --host-cost-file (default .oicf/host-cost.json); every twin
// run loads that file when it exists (unless --no-host-cost) and charges those costs on the shared host.
// Fit on one window (e.g. --start-seconds 600 --modes a --fit-host) and validate on another (the default
// first 300 requests), so the agreement is not the fit's own.
//
//   node --import tsx bench/sim-fidelity.bench.ts [--modes a,b] [--max-requests 300] [--token-scale auto]
//                 [--start-seconds 0] [--policy oicf-cost] [--seed 1] [--step-time-file .oicf/step-time.json]
//                 [--fit-host] [--host-cost-file .oicf/host-cost.json] [--no-host-cost] [--wait-load 1.5]
//                 [--real-runs 1] [--append] [--sim-only | --real-only] [--host-scheduling per-core|shared] [--out bench/results]
//
// Repeated real runs: --real-runs N replays the window on N fresh clusters per mode (modes alternating),
// each kept as <out>/<name>/<mode>-real-<k>; --append adds them to those earlier invocations recorded (keep
// each locked invocation short and append); the twin is then judged against the real runs' mean, range and
// sd ÷ mean (sim-fidelity-spread.ts). --sim-only re-runs the twin against all recorded runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyOverrides, type ClusterConfig, clusterMaxContextTokens, defaultClusterConfig } from '@oicf/cluster';
import { calibratedModelFromFile, loadStepTimeFile } from '@oicf/kernels/step-time';
import { contextFit, floorSignificant, prepareTrace } from '@oicf/loadgen';
import { DEFAULT_SLO, simVsReal, summarizeReplay } from '@oicf/report';
import {
  foreignLoad,
  type HostCostFile,
  type HostScheduling,
  loadHostCostFile,
  type StepTimeModel,
  simulate,
} from '@oicf/sim';
import { clusterFromConfig } from '@oicf/sim/config';
import { sharedTrace } from '@oicf/traces/node';
import { FIDELITY_OPTIONS } from './sim-fidelity-args.js';
import { fitHostModel, readGraphBuild } from './sim-fidelity-fit.js';
import { cpuByProcess, describeHostCost, kernelPricing } from './sim-fidelity-host.js';
import { loopLines } from './sim-fidelity-loop.js';
import { loopCpuLines } from './sim-fidelity-pace.js';
import {
  clearRealRuns,
  nextRealRunDir,
  type RealRun,
  readRealRun,
  realRunDirs,
  runRealCluster,
  saveRealExtras,
  waitForQuiet,
  withForeignOf,
  writeRun,
} from './sim-fidelity-real.js';
import { type ModeResult, modesDoc, resultsMarkdown, spreadLines } from './sim-fidelity-report.js';
import { spreadOverRuns } from './sim-fidelity-spread.js';

const { values } = parseArgs({ options: FIDELITY_OPTIONS });
// Flags the twin reads only after the real runs: refused now, by name, rather than after minutes of real runs.
const schedulingFlag = values['host-scheduling'];
if (schedulingFlag !== 'per-core' && schedulingFlag !== 'shared')
  throw new RangeError(`--host-scheduling must be per-core or shared; got '${schedulingFlag}'`);
const scheduling: HostScheduling = schedulingFlag;
const cores = values.cores === undefined ? availableParallelism() : Number(values.cores);
if (!Number.isSafeInteger(cores) || cores < 1)
  throw new RangeError(`--cores must be a whole number ≥ 1; got '${values.cores}'`);
const graphBuildFile = values['graph-build-file'];
const graphBuild = graphBuildFile === undefined ? undefined : readGraphBuild(graphBuildFile);
const traceFile = values.trace ?? sharedTrace('mooncake-fast25/conversation_trace.jsonl').path;
const maxRequests = Number(values['max-requests']);
const startSeconds = Number(values['start-seconds']);
const window = startSeconds > 0 ? { startSeconds, maxRequests, rebase: true } : { maxRequests };
const hostCostPath = resolve(values['host-cost-file'] ?? '.oicf/host-cost.json');
// With --fit-host the file is (re)written from this run's first real run; else it is read when it exists.
let hostCost: HostCostFile | undefined =
  values['no-host-cost'] || values['fit-host'] ? undefined : loadHostCostFile(hostCostPath);
const seed = Number(values.seed);
const speed = Number(values.speed);
const modes = (values.modes ?? 'a,b').split(',').map((m) => m.trim());
const outDir = values.out ?? 'bench/results';
/** Results named by the setup when it is not the issue's (e.g. sim-fidelity-r60-s0.2). */
const name =
  (maxRequests === 300 && Number(values.speed) === 1
    ? 'sim-fidelity'
    : `sim-fidelity-r${maxRequests}-s${values.speed}`) +
  (startSeconds > 0 ? `-from${startSeconds}` : '') +
  (values['fit-host'] ? '-fit' : '');
/** The real runs (and each twin's reports): by default beside the results; --runs-dir reads another bench's. */
const runsDir = values['runs-dir'] ?? join(outDir, name);
const SLO = DEFAULT_SLO;

/** The calibrated model's file as used (its fit's thread count must be the workers'). */
let calibration: { file: string; measuredAt: string; intraOpNumThreads: number } | undefined;

/** This machine's calibrated model of the served tiny model (@oicf/kernels/step-time, fitted by `oicf roofline`). */
function calibratedModel(config: ClusterConfig): StepTimeModel | string {
  const path = resolve(values['step-time-file'] ?? '.oicf/step-time.json');
  const file = loadStepTimeFile(path);
  if (file === undefined) return `no calibrated step-time model at ${path}: run 'oicf roofline' first`;
  calibration = { file: path, measuredAt: file.measuredAt, intraOpNumThreads: file.intraOpNumThreads };
  if (file.intraOpNumThreads !== config.decode.threads || file.intraOpNumThreads !== config.prefill.threads) {
    console.log(
      `warning: ${path} was fitted at ${file.intraOpNumThreads} onnxruntime thread(s), the workers run ${config.prefill.threads}/${config.decode.threads}: refit with 'oicf roofline --threads ${config.decode.threads}'`,
    );
  }
  return calibratedModelFromFile(file, config.model, config.weightPrecision);
}

// The window and its token scale: the first N requests, scaled so the longest fits the context.
const probe = await prepareTrace(
  {
    traceFile,
    format: 'auto',
    skipBadLines: false,
    window,
    tokenScale: 1,
    tokenScaleMode: 'blocks',
    loop: 'auto',
  },
  process.cwd(),
);
if (!probe.ok) {
  console.error(
    `cannot read the trace: ${probe.message} (the Mooncake trace is in ../shared/traces; set OICF_SHARED_TRACES)`,
  );
  process.exit(1);
}
const base = applyOverrides(defaultClusterConfig(), { policy: values.policy ?? 'oicf-cost' });
if (!base.ok) throw new Error(base.errors.join('; '));
const fit = contextFit(probe.requests, clusterMaxContextTokens(base.value), 1);
// 'auto': the scale that fits the longest, less 5 % (block-wise scaling rounds each block up or down).
const tokenScale =
  values['token-scale'] === 'auto'
    ? floorSignificant(0.95 * (fit?.suggestedTokenScale ?? 1), 2)
    : Number(values['token-scale']);
const trace = await prepareTrace(
  {
    traceFile,
    format: 'auto',
    skipBadLines: false,
    window,
    tokenScale,
    tokenScaleMode: 'blocks',
    loop: 'auto',
  },
  process.cwd(),
);
if (!trace.ok) throw new Error(trace.message);

const results: ModeResult[] = [];
/** The decode loop between steps, real (first run of each mode) vs twin (sim-fidelity-loop.ts). */
const loopByMode: string[] = [];
const realRunsWanted = Number(values['real-runs']);
const modeSetup = modes.map((mode) => {
  const emulate = mode === 'b' ? 'llama-3.1-70b@h100' : undefined;
  const description =
    mode === 'a'
      ? 'real kernels (tiny-gqa fp32) vs the calibrated step-time model'
      : 'emulated llama-3.1-70b@h100 vs the oicf step-time model';
  const config = applyOverrides(base.value, emulate === undefined ? {} : { emulate });
  if (!config.ok) throw new Error(config.errors.join('; '));
  const flags = `--max-requests ${maxRequests} --token-scale ${tokenScale} --speed ${speed} --policy ${base.value.router.policy}${emulate ? ` --emulate ${emulate}` : ''}`;
  return { mode, description, config: config.value, flags, calibrated: calibratedModel(config.value) };
});

// The real side: --real-runs fresh clusters per mode, the modes alternating (a b a b …), each in its own
// <mode>-real-<k>; without --append the earlier runs of these modes are removed first.
if (!values['sim-only']) {
  if (!values.append) for (const m of modeSetup) clearRealRuns(runsDir, m.mode);
  for (let k = 0; k < realRunsWanted; k++) {
    for (const m of modeSetup) {
      if (m.mode === 'a' && typeof m.calibrated === 'string') continue;
      await waitForQuiet(values['wait-load'], Number(values['wait-max-seconds']));
      const dir = nextRealRunDir(runsDir, m.mode);
      const realRun = await runRealCluster({
        mode: m.mode,
        config: m.config,
        requests: trace.requests,
        loop: trace.loop,
        speed,
        tokenScale,
        traceFile,
        commandLine: `oicf replay ${traceFile} ${m.flags} --out ${dir}`,
        maxRequests,
        ...(values['quiet-other-cores'] === undefined
          ? {}
          : {
              quietGate: {
                maxCores: Number(values['quiet-other-cores']),
                maxSeconds: Number(values['quiet-max-seconds']),
              },
            }),
      });
      writeRun(dir, realRun.real, summarizeReplay(realRun.real, SLO));
      saveRealExtras(dir, realRun);
    }
  }
}

if (values['real-only']) {
  console.log(`real runs recorded under ${runsDir} (--real-only: no twin)`);
  process.exit(0);
}

for (const { mode, description, config, flags, calibrated } of modeSetup) {
  const realDirs = realRunDirs(runsDir, mode);
  const firstDir = realDirs[0] ?? join(runsDir, `${mode}-real-1`);
  const commands = [
    `oicf replay ${traceFile} ${flags} --out ${firstDir}`,
    `oicf simulate --trace ${traceFile} ${flags} --seed ${seed}${mode === 'a' ? ' --step-model calibrated' : ''}${hostCost === undefined ? ' --no-host-cost' : ` --host-cost-file ${hostCostPath}`} --vs ${join(firstDir, 'replay.json')} --out ${join(outDir, name, `${mode}-sim`)}`,
  ];
  if (mode === 'a' && typeof calibrated === 'string') {
    console.log(`mode a skipped: ${calibrated}`);
    results.push({ mode, description, skipped: calibrated, commands });
    continue;
  }
  if (realDirs.length === 0) throw new Error(`no real run of mode ${mode} under ${runsDir} (run without --sim-only)`);
  const realRuns = realDirs.map((d) => ({ dir: d, run: readRealRun(d) }));
  const { real, samples, realWallSeconds, beforeReal, afterReal } = (realRuns[0] as { run: RealRun }).run;
  const realSummary = summarizeReplay(real, SLO);
  const realCpu = cpuByProcess(samples);
  if (values['fit-host'] && hostCost === undefined) {
    hostCost = fitHostModel({
      real,
      samples,
      workerMetrics: realRuns[0]?.run.workerMetrics,
      path: hostCostPath,
      source: `bench/sim-fidelity.bench.ts mode ${mode} real run (${firstDir}): ${commands[0]}, window from ${startSeconds} s`,
      kernels: typeof calibrated === 'string' ? undefined : kernelPricing(calibrated, trace.requests, real, samples),
      groupSeconds: Number(values['fit-group-seconds']),
      kvBytesPerToken: clusterFromConfig(config, { stepModel: 'oicf' }).host?.kvBytesPerToken ?? 0,
      designWith,
      workload: { requests: trace.requests, loop: trace.loop, speed, seed },
      withoutForeign: values['fit-without-foreign'] ?? false,
      withoutLoopMeasures: values['no-loop-flush'] ?? false,
      withoutLoopPace: values['no-loop-pace'] === true || values['loop-pace'] !== true,
      withoutPrefillMeter: values['no-prefill-meter'] ?? false,
      withoutSendMeter: values['no-send-meter'] === true || values['send-meter'] !== true,
      ...(graphBuild === undefined ? {} : { graphBuild }),
    });
  }
  // The twin.
  function designWith(hc: HostCostFile | undefined) {
    return clusterFromConfig(config, {
      stepModel: mode === 'a' ? 'calibrated' : 'oicf',
      cores,
      ...(typeof calibrated === 'string' ? {} : { calibrated }),
      ...(hc === undefined ? {} : { hostCost: hc }),
      scheduling,
    });
  }
  const design = designWith(hostCost);
  const t1 = performance.now();
  const { run: sim, stats } = simulate(design, {
    requests: trace.requests,
    loop: trace.loop,
    speed,
    seed,
    meta: {
      label: `sim ${mode}`,
      traceFile,
      commandLine: commands[1] as string,
      tokenScale,
      model: config.model,
    },
  });
  const simWallSeconds = (performance.now() - t1) / 1000;
  const simSummary = summarizeReplay(sim, SLO);
  writeRun(join(outDir, name, `${mode}-sim`), sim, simSummary);
  const figures = simVsReal(realSummary, simSummary);
  const perRun = realRuns.map((r) => ({
    dir: r.dir,
    startedIso: r.run.real.meta.startedAtIso ?? null,
    beforeReal: r.run.beforeReal,
    afterReal: r.run.afterReal,
    values: simVsReal(summarizeReplay(r.run.real, SLO), simSummary),
    foreign: withForeignOf(design, r.run, { requests: trace.requests, loop: trace.loop, speed, seed }),
  }));
  const spread = spreadOverRuns(perRun.map((r) => r.values));
  // The same twin with what other processes used during the (first) real run replayed as demand on the cores.
  const foreign = foreignLoad(samples);
  let withForeign: ModeResult['withForeign'];
  if (foreign.length > 0 && design.host !== undefined) {
    const fsim = simulate(
      { ...design, host: { ...design.host, foreignLoad: foreign } },
      {
        requests: trace.requests,
        loop: trace.loop,
        speed,
        seed,
        meta: { label: `sim ${mode} +foreign`, traceFile, tokenScale, model: config.model },
      },
    ).run;
    const fsummary = summarizeReplay(fsim, SLO);
    writeRun(join(outDir, name, `${mode}-sim-foreign`), fsim, fsummary);
    const meanCores = foreign.reduce((t, p) => t + p.cores, 0) / foreign.length;
    withForeign = { meanCores, figures: simVsReal(realSummary, fsummary) };
  }
  results.push({
    mode,
    description,
    loadAverage: { beforeReal, afterReal },
    realWallSeconds,
    simWallSeconds,
    stepModels: [...new Set(design.workers.map((w) => w.stepTime.label))],
    kernelModels: [...new Set(design.workers.map((w) => w.computeTime?.label ?? w.stepTime.label))],
    ...(stats.hostCpu === null
      ? {}
      : {
          host: {
            cores: stats.hostCpu.cores,
            threads: [...new Set(design.workers.map((w) => w.hostThreads ?? design.host?.threadsPerStep ?? 1))],
            numStretched: stats.hostCpu.numStretched,
            addedSeconds: stats.hostCpu.addedSeconds,
          },
        }),
    figures,
    commands,
    hostCost:
      hostCost === undefined
        ? values['no-host-cost']
          ? 'off (--no-host-cost)'
          : `none at ${hostCostPath}`
        : { file: hostCostPath, fittedAtIso: hostCost.fittedAtIso, source: hostCost.source },
    realCpu,
    simCpu: stats.hostCpu?.cpuSecondsByKind ?? {},
    simWorkers: stats.workers.map((w) => ({
      workerId: w.workerId,
      numPrefillSteps: w.numPrefillSteps,
      numDecodeSteps: w.numDecodeSteps,
      decodeStepSeconds: w.decodeStepSeconds,
      decodeTokens: w.decodeTokens,
      numPreemptions: w.numPreemptions,
      busyFraction: w.busyFraction,
    })),
    ...(withForeign === undefined ? {} : { withForeign }),
    realRuns: perRun,
    spread,
  });
  for (const line of spreadLines(mode, spread)) console.log(line);
  const loop = [
    ...loopLines(mode, realRuns[0]?.run.workerMetrics, stats),
    ...loopCpuLines(mode, realRuns[0]?.run.workerMetrics),
  ];
  loopByMode.push(...loop);
  for (const line of loop) console.log(line);
}

const doc = {
  bench: 'sim-fidelity',
  trace: traceFile,
  window: { maxRequests, startSeconds, tokenScale, loop: trace.loop, speed },
  hostCostModel: hostCost ?? null,
  calibration: calibration ?? null,
  cluster: base.value,
  slo: SLO,
  seed,
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAverageAtEnd: loadavg() },
  command: `node --import tsx bench/sim-fidelity.bench.ts ${process.argv.slice(2).join(' ')}`,
  goal: 'within 10 % on p50, p90 and throughput in both modes; prefix-hit ratio within 2 points',
  modes: modesDoc(results),
};
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(doc, null, 2)}\n`);
const md = resultsMarkdown({
  traceFile,
  maxRequests,
  startSeconds,
  tokenScale,
  loop: trace.loop,
  speed,
  policy: base.value.router.policy,
  seed,
  machine: doc.machine,
  command: doc.command,
  goal: doc.goal,
  results,
  loopLines: loopByMode,
  hostCostLines: hostCost === undefined ? [] : describeHostCost(hostCost),
});
writeFileSync(join(outDir, `${name}.md`), md.join('\n'));
console.log(`wrote ${join(outDir, `${name}.json`)} and .md`);
