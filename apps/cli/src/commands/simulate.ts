import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { applyOverrides, type ClusterConfig, clusterMaxContextTokens, parseClusterConfig } from '@oicf/cluster';
import { contextFit, contextFitWarning, ProgressReporter, prepareTrace } from '@oicf/loadgen';
import {
  comparisonReportFiles,
  type ReportFile,
  readReplayJson,
  replayReportFiles,
  stringifyReport,
  summarizeReplay,
} from '@oicf/report';
import { type HostCostFile, loadHostCostFile, SimRun, type StepTimeModel } from '@oicf/sim';
import { clusterFromConfig } from '@oicf/sim/config';
import { type Clock, realClock } from '@oicf/transport';
import { writeReportFiles } from '../analyze/write-files.js';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { summaryLine } from '../replay/replay-session.js';
import { THIS_MACHINE_PLANE } from '../replay/write-report.js';
import { parseSimulateArgs, type SimulateArgs } from './simulate-args.js';
import { loadCalibratedModel } from './simulate-step-model.js';
import { traceErrorHint } from './trace-error-hint.js';

const USAGE = `Usage: oicf simulate --trace <file> [--config <cluster.json>] [options]

Simulates the cluster a cluster config describes (the file and overrides of 'oicf cluster up') on a
trace (read and shaped as 'oicf replay' does) in virtual time: the router's admission and routing,
the engine's batching and preemption and the KV caches and pool are the services' own code; steps are
priced by a step-time model, transfers by link and tier bandwidth. Writes the same report as
'oicf replay' (replay.json, replay.md, replay.html) plus sim.json (the twin's own counters).

Cluster:
  --config <file>           cluster config (JSON; default the built-in one, as 'oicf cluster up')
  --policy <name>           routing policy (round-robin, least-loaded, prefix-aware, oicf-cost)
  --mode <m>                disaggregated or colocated
  --emulate <model@device>  every worker is a catalog model on a catalog device, e.g. llama-3.1-70b@h100
  --step-model <m>          oicf (the analytic prediction, what --emulate paces to; default with
                            --emulate) or calibrated (this machine's fit from 'oicf roofline'; default
                            without); under --emulate a calibrated model, when there is one, also
                            gives the real kernel's time (a paced step never ends before it)
  --step-time-file <path>   the calibrated model's file (default .oicf/step-time.json)
  --host-cost-file <path>   this machine's host-cost model (default .oicf/host-cost.json, used when
                            it exists): the services' own CPU (router, client, pool, the workers
                            beyond their kernels) on the same cores as the kernels, and the KV link
                            at its measured rate; fitted by bench/sim-fidelity.bench.ts --fit-host
  --no-host-cost            leave those costs out (the services' CPU is free)
  --host-scheduling <s>     how the local cluster's threads share this machine's cores: per-core
                            (default: a run queue per core, a thread on the least loaded one, as
                            Linux does) or shared (processor sharing over all cores)

Load (as 'oicf replay'):
  --trace <file>            Mooncake JSONL, Azure CSV, the native agent JSONL, weka or copilot
  --format <f>              auto (default), mooncake, azure, agent, weka, copilot
  --loop <l>                open, closed or auto (default: closed for multi-turn traces)
  --speed <x>               time compression (default 1)
  --token-scale <f>         scale input and output lengths (default 1)
  --token-scale-mode <m>    blocks (default) or remap
  --window <a:b>            only requests arriving in [a, b) trace seconds
  --max-requests <n>        only the first n requests (after --window)
  --concurrency <n>         at most n requests in flight
  --session-ttl <s>         session_ttl_seconds sent with agent sessions
  --skip-bad-lines          drop malformed trace lines

Twin:
  --seed <n>                same seed, same run (default 1): token ids and heartbeat phases
  --block-ids <m>           fast (default: the prompt's block ids from its trace blocks) or exact
                            (hash the prompt tokens 'oicf replay' sends; slower, same decisions)
  --vs <replay.json>        a real run of the same trace to put beside the simulated one:
                            compare.md/.html/.json with the twin's error per figure

Report:
  --slo-ttft <s>, --slo-tpot <s>   SLOs for goodput (as 'oicf replay')
  --out <dir>               output folder (default out/simulate/<timestamp>/)
  --json                    print the summary as JSON on stdout

Exit status: 0 done, 130 interrupted (partial report written), 1 failed, 2 bad usage.
`;

export interface SimulateDependencies {
  /** Wall clock for the progress bar. */
  readonly clock?: Clock;
  readonly defaultOutDir?: () => string;
  /** The calibrated model (tests inject one; default: loaded from --step-time-file). */
  readonly calibrated?: (args: SimulateArgs, config: ClusterConfig, cwd: string) => Promise<StepTimeModel | string>;
  /** The host-cost model (tests inject one; default: loaded from --host-cost-file when it exists). */
  readonly hostCost?: (args: SimulateArgs, cwd: string) => HostCostFile | undefined;
}

export function createSimulateCommand(deps: SimulateDependencies = {}): Command {
  return {
    name: 'simulate',
    summary: 'Simulate a cluster config on a trace in virtual time (the cluster twin); replay-style reports',
    usage: USAGE,
    async run(argv: string[], io: CommandIo): Promise<number> {
      const args = parseSimulateArgs(argv);
      const config = loadConfig(args, io.cwd);
      const trace = await prepareTrace(args, io.cwd);
      if (!trace.ok) {
        if (trace.kind === 'unreadable') throw new UsageError(trace.message);
        io.stderr(`oicf simulate: ${trace.message}${trace.code === null ? '' : `\n${traceErrorHint(trace.code)}`}\n`);
        return 1;
      }
      for (const w of trace.warnings) io.stderr(`warning: ${w}\n`);
      const fit = contextFit(trace.requests, clusterMaxContextTokens(config), args.tokenScale);
      if (fit) io.stderr(contextFitWarning(fit, 'simulated cluster config'));
      const calibrated = await (deps.calibrated ?? defaultCalibrated)(args, config, io.cwd);
      const emulating = config.decode.emulate !== undefined || config.prefill.emulate !== undefined;
      const stepModel = args.stepModel ?? (emulating ? 'oicf' : 'calibrated');
      if (stepModel === 'calibrated' && typeof calibrated === 'string') {
        io.stderr(`oicf simulate: ${calibrated}\n`);
        return 1;
      }
      let cluster: ReturnType<typeof clusterFromConfig>;
      let hostCost: HostCostFile | undefined;
      try {
        hostCost = (deps.hostCost ?? defaultHostCost)(args, io.cwd);
        cluster = clusterFromConfig(config, {
          stepModel,
          cores: availableParallelism(),
          scheduling: args.hostScheduling,
          ...(typeof calibrated === 'string' ? {} : { calibrated }),
          ...(hostCost === undefined ? {} : { hostCost }),
        });
      } catch (err) {
        io.stderr(`oicf simulate: ${(err as Error).message}\n`);
        return 1;
      }
      const label = labelFor(args, config, stepModel);
      io.stderr(
        `oicf simulate: ${trace.requests.length} requests, ${trace.loop} loop, ${cluster.workers.length} workers, policy ${config.router.policy}, step model ${stepModel} (${[...new Set(cluster.workers.map((w) => w.stepTime.label))].join(', ')}), seed ${args.seed}; host: ${hostText(cluster)}; host costs: ${hostCostText(args, hostCost)}\n`,
      );
      let run: SimRun;
      try {
        run = new SimRun(cluster, {
          requests: trace.requests,
          loop: trace.loop,
          speed: args.speed,
          concurrencyLimit: args.concurrency,
          sessionTtlSeconds: args.sessionTtlSeconds,
          seed: args.seed,
          blockIds: args.blockIds,
          meta: {
            label,
            traceFile: args.traceFile,
            commandLine: ['oicf', 'simulate', ...argv].join(' '),
            model: config.model,
            tokenScale: args.tokenScale,
            options: {
              window: args.window ?? null,
              tokenScaleMode: args.tokenScaleMode,
              slo: args.slo,
              cluster: config,
              stepModel,
              stepModels: [...new Set(cluster.workers.map((w) => w.stepTime.label))],
            },
          },
        });
      } catch (err) {
        io.stderr(`oicf simulate: ${(err as Error).message}\n`);
        return 1;
      }
      const clock = deps.clock ?? realClock;
      const progress = new ProgressReporter({ write: io.stderr, isTty: io.isTty, clock, label: 'simulate' });
      // Advance in batches, yielding between them: the bar redraws and Ctrl-C is heard.
      for (;;) {
        const done = run.advance(50_000);
        progress.update(run.progress());
        if (done || io.signal.aborted) break;
        await new Promise<void>((r) => setImmediate(r));
      }
      progress.finish();
      const result = run.finish();
      const summary = summarizeReplay(result.run, args.slo);
      const outDir = args.outDir ?? (deps.defaultOutDir ?? defaultOutDir)();
      const files: ReportFile[] = [
        ...replayReportFiles(result.run, summary, THIS_MACHINE_PLANE),
        { name: 'sim.json', content: stringifyReport({ format: 'oicf-sim-stats', version: 1, stats: result.stats }) },
      ];
      if (args.vs !== null) {
        const real = readReal(args.vs, io.cwd);
        const title = `Simulated vs real: ${label} vs ${real.meta.label}`;
        files.push(
          ...comparisonReportFiles(
            title,
            [
              { run: real, summary: summarizeReplay(real, args.slo) },
              { run: result.run, summary },
            ],
            THIS_MACHINE_PLANE,
          ),
        );
      }
      const paths = writeReportFiles(io.cwd, outDir, files);
      const s = result.stats;
      const speed = `${s.numEvents} events in ${s.wallSeconds.toFixed(2)} s wall: ${s.simulatedSecondsPerWallSecond.toFixed(0)} simulated s per wall s, ${(s.eventsPerWallSecond / 1e6).toFixed(2)} M events/s`;
      if (args.json) {
        io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
        io.stderr(`${speed}\nwrote:\n  ${paths.join('\n  ')}\n`);
      } else {
        io.stdout(`${summaryLine(summary)}\n  ${speed}\nwrote:\n  ${paths.join('\n  ')}\n`);
      }
      return result.run.interrupted ? 130 : 0;
    },
  };
}

export const simulateCommand = createSimulateCommand();

function defaultOutDir(now: Date = new Date()): string {
  return join('out', 'simulate', now.toISOString().replace(/[:.]/g, '-'));
}

async function defaultCalibrated(
  args: SimulateArgs,
  config: ClusterConfig,
  cwd: string,
): Promise<StepTimeModel | string> {
  const loaded = await loadCalibratedModel(resolve(cwd, args.stepTimeFile), config.model, config.weightPrecision);
  if (!loaded.ok) return loaded.reason;
  // A fit at other thread counts than the workers' prices their kernels wrong: said in the model's label.
  const threads = [...new Set([config.prefill.threads, config.decode.threads])];
  if (threads.length === 1 && threads[0] === loaded.intraOpNumThreads) return loaded.model;
  const model = loaded.model;
  return {
    kind: model.kind,
    stepSeconds: (q) => model.stepSeconds(q),
    label: `${model.label}; fitted at ${loaded.intraOpNumThreads} onnxruntime thread(s), the workers run ${threads.join('/')}: refit with 'oicf roofline --threads ${threads[0]}'`,
  };
}

function defaultHostCost(args: SimulateArgs, cwd: string): HostCostFile | undefined {
  return args.hostCostFile === null ? undefined : loadHostCostFile(resolve(cwd, args.hostCostFile));
}

function hostText(cluster: ReturnType<typeof clusterFromConfig>): string {
  const h = cluster.host;
  if (h?.cores === undefined) return 'no shared cores';
  return `${h.cores} cores, ${h.scheduling ?? 'per-core'} scheduling`;
}

function hostCostText(args: SimulateArgs, hostCost: HostCostFile | undefined): string {
  if (hostCost !== undefined) return `${args.hostCostFile} (fitted ${hostCost.fittedAtIso})`;
  return args.hostCostFile === null ? 'off' : `none (no ${args.hostCostFile})`;
}

function loadConfig(args: SimulateArgs, cwd: string): ClusterConfig {
  let input: unknown = {};
  const file = args.configFile;
  if (file !== null) {
    try {
      input = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
    } catch (err) {
      throw new UsageError(`cannot read config '${file}': ${(err as Error).message}`);
    }
  }
  const base = parseClusterConfig(input, file ?? 'cluster config');
  const parsed = base.ok
    ? applyOverrides(base.value, {
        ...(args.policy !== null ? { policy: args.policy } : {}),
        ...(args.mode !== null ? { mode: args.mode } : {}),
        ...(args.emulate !== null ? { emulate: args.emulate } : {}),
      })
    : base;
  if (!parsed.ok)
    throw new UsageError(`invalid config, ${parsed.errors.length} problem(s):\n  ${parsed.errors.join('\n  ')}`);
  return parsed.value;
}

function readReal(path: string, cwd: string) {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    throw new UsageError(
      `--vs: cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const read = readReplayJson(text, path);
  if (!read.ok) throw new UsageError(`--vs: ${read.error}`);
  return read.run;
}

function labelFor(args: SimulateArgs, config: ClusterConfig, stepModel: string): string {
  const emulate = config.decode.emulate ?? config.prefill.emulate;
  return `sim ${config.router.policy}${emulate ? ` ${emulate}` : ''} (${stepModel}, seed ${args.seed})`;
}
