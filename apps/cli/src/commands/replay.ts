import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  type ClusterConfig,
  type ClusterLauncher,
  clusterMaxContextTokens,
  defaultClusterConfig,
  localClusterLauncher,
  parseClusterConfig,
} from '@oicf/cluster';
import { contextFit, overflowVerdict, prepareTrace } from '@oicf/loadgen';
import { DEFAULT_SLO } from '@oicf/report';
import { type Clock, realClock } from '@oicf/transport';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { parseReplayArgs } from '../replay/replay-args.js';
import {
  overflowPolicy,
  replayAgainstUrl,
  replayComparison,
  replayOnLaunchedCluster,
} from '../replay/replay-session.js';
import { defaultOutDir } from '../replay/write-report.js';
import { traceErrorHint } from './trace-error-hint.js';

const USAGE = `Usage: oicf replay <trace-file> [options]

Replays a request trace (Mooncake JSONL, Azure CSV or the native agent-session JSONL) against a
router and writes a report: TTFT, TPOT, inter-token and end-to-end percentiles, throughput,
goodput under SLOs, prefix hits per cache source and tier, KV bytes per link, measured OI and CF
per phase, queueing over time and rejects by reason, as replay.json, replay.md and replay.html.
Prompts are sent as token ids: equal trace block ids become equal synthetic token blocks, so shared
prefixes really hit the cluster's caches. Ctrl-C cancels in-flight requests and writes a partial
report.

Target:
  --url <url>               replay against a running router (e.g. http://127.0.0.1:8080);
                            without it the command launches a local cluster and stops it after
  --cluster-config <file>   cluster JSON for the launched cluster (default: the built-in config)
  --cluster-run-dir <dir>   where launched clusters keep configs and logs (default: <out>/cluster,
                            or <out>/<configuration>/cluster with --compare)
  --policy <name>           routing policy of the launched cluster (round-robin, least-loaded,
                            prefix-aware, oicf-cost)
  --mode <m>                disaggregated or colocated
  --emulate <model@device>  pace workers to a target, e.g. llama-3.1-70b@h100
  --compare <key=v1,v2,..>  one launched cluster per value, plus a comparison report; key is
                            policy, mode or emulate
  --model <id>              served model id (default: the first from GET /v1/models)
  --metrics-url <url>       extra /metrics endpoint to scrape (repeatable)

Load:
  --loop <l>                open (recorded arrival times), closed (per session: previous
                            completion + tool gap) or auto (default: closed for multi-turn
                            agent traces, open otherwise)
  --speed <x>               time compression: 2 replays twice as fast (default 1)
  --token-scale <f>         scale input lengths, e.g. 0.05 (default 1); outputs too, unless
                            --output-token-scale is given
  --output-token-scale <f>  scale output lengths (default: the --token-scale value); warns with
                            the count of outputs that become 1 token
  --token-scale-mode <m>    blocks (default): every trace block shrinks and keeps its id, so
                            shared prefixes stay shared at any scale; remap: @oicf/traces
                            scaleTokens (512-token blocks renamed; coarser sharing)
  --window <a:b>            only requests arriving in [a, b) trace seconds (rebased to 0)
  --max-requests <n>        only the first n requests (after --window)
  --concurrency <n>         at most n requests in flight; later ones wait (counted)
  --session-ttl <s>         session_ttl_seconds sent with agent sessions
  --overflow-limit <share>  most requests that may exceed the cluster's context (prompt + max
                            output > decode.maxContextTokens) before replay refuses to send the
                            trace and names the --token-scale that fits (default 0.05 = 5 %)
  --allow-overflow          send anyway; requests over the context come back as rejects with
                            reason 'context' (HTTP 400 context_length_exceeded)

Report:
  --slo-ttft <s>            TTFT SLO for goodput (default ${DEFAULT_SLO.ttftSeconds})
  --slo-tpot <s>            TPOT SLO for goodput (default ${DEFAULT_SLO.tpotSeconds}; DistServe's chatbot
                            SLOs for a 66B model)
  --scrape-interval <s>     seconds between /metrics scrapes during the run (default 1)
  --out <dir>               output folder (default out/replay/<timestamp>/)
  --json                    print the summary as JSON on stdout
  --format <f>              trace format: auto (default), mooncake, azure, agent, weka, copilot
  --skip-bad-lines          drop malformed trace lines instead of failing

Exit status: 0 done, 130 interrupted (partial report written), 1 target unreachable, 2 bad usage
or a trace that overflows the cluster's context (nothing sent).
`;

export interface ReplayDependencies {
  readonly clock?: Clock;
  /** How clusters are launched when there is no --url (tests inject one). */
  readonly launcherFor?: (base: ClusterConfig) => ClusterLauncher;
  /** Output folder when --out is absent. */
  readonly defaultOutDir?: () => string;
}

export function createReplayCommand(deps: ReplayDependencies = {}): Command {
  return {
    name: 'replay',
    summary: 'Replay a trace against a router or a launched cluster; JSON, Markdown and HTML reports',
    usage: USAGE,
    async run(argv: string[], io: CommandIo): Promise<number> {
      const args = parseReplayArgs(argv);
      const base = args.url === null ? loadClusterConfig(args.clusterConfigFile, io.cwd) : null;
      const trace = await prepareTrace(args, io.cwd);
      if (!trace.ok) {
        if (trace.kind === 'unreadable') throw new UsageError(trace.message);
        const hint = trace.code === null ? '' : `\n${traceErrorHint(trace.code)}`;
        io.stderr(`oicf replay: ${trace.message}${hint}\n`);
        return 1;
      }
      for (const w of trace.warnings) io.stderr(`warning: ${w}\n`);
      if (base !== null) {
        const fit = contextFit(trace.requests, clusterMaxContextTokens(base), args.tokenScale);
        const verdict = overflowVerdict(fit, overflowPolicy(args), 'the launched cluster (decode.maxContextTokens)');
        if (verdict.kind === 'stop') {
          io.stderr(`oicf replay: ${verdict.message}`);
          return 2;
        }
        if (verdict.warning !== undefined) io.stderr(verdict.warning);
      }
      io.stderr(
        `oicf replay: ${trace.requests.length} requests, ${trace.loop} loop, speed ×${args.speed}, token scale ×${args.tokenScale}${args.outputTokenScale === args.tokenScale ? '' : ` (outputs ×${args.outputTokenScale})`}\n`,
      );
      const ctx = {
        args,
        trace,
        io,
        clock: deps.clock ?? realClock,
        outDir: args.outDir ?? (deps.defaultOutDir ?? defaultOutDir)(),
        commandLine: ['oicf', 'replay', ...argv.map(quote)].join(' '),
        launcher: base === null ? null : (deps.launcherFor ?? localClusterLauncher)(base),
        clusterBlockTokens: (base ?? defaultClusterConfig()).blockTokens,
      };
      if (args.url !== null) return replayAgainstUrl(ctx, args.url);
      const launcher = ctx.launcher as ClusterLauncher;
      return args.compare !== null ? replayComparison(ctx, launcher) : replayOnLaunchedCluster(ctx, launcher);
    },
  };
}

export const replayCommand = createReplayCommand();

function loadClusterConfig(file: string | null, cwd: string): ClusterConfig {
  if (file === null) return defaultClusterConfig();
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--cluster-config: cannot read '${file}' as JSON (${(err as Error).message})`);
  }
  const parsed = parseClusterConfig(json, file);
  if (!parsed.ok) throw new UsageError(`--cluster-config:\n  ${parsed.errors.join('\n  ')}`);
  return parsed.value;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
