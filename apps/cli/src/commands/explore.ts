import { countConfigurations, enumerateConfigurations, profileWorkload, resultFile, shardOf } from '@oicf/explore';
import { DEFAULT_SPACE_FILE, readSpaceFile } from '@oicf/explore/node';
import { type Clock, realClock } from '@oicf/transport';
import { type Command, type CommandIo, UsageError } from '../command.js';
import { parseExploreArgs } from './explore-args.js';
import { defaultExploreDir, writeExplore } from './explore-output.js';
import { ExploreProgress } from './explore-progress.js';
import { runStages } from './explore-stages.js';
import { loadWorkload } from './explore-workload.js';

const USAGE = `Usage: oicf explore --workload <workflow|trace> --slo ttft=<s>,tpot=<s> [options]

Searches cluster designs for a workload under SLOs and ranks them by goodput per dollar (or per kW,
goodput, tokens per joule). A design is a serving mode (disaggregated or colocated), per role the
device kind, TP degree within its scale-up domain and instance count (several kinds may share a role),
the KV tiers below HBM (host DRAM, CXL, an optical pool) and the routing policy. Two stages: an
analytic screen of every design (@oicf/core step times, KV over tiers, queueing bounds), then the
cluster twin (@oicf/sim) on the best --simulate-top. Writes explore.json, explore.csv and explore.html
(Pareto frontiers, OI–CF planes, a why line per design). Ctrl-C keeps the partial ranking.

Workload:
  --workload <w>              a workflow (chat, coding, web-use, computer-use) or a trace file
                              (Mooncake, Azure, agent, weka, copilot; read as 'oicf replay' reads it)
  --sessions-per-second <r>   workflow session starts per second (default 0.1)
  --duration <s>              workflow sessions start over this many seconds (default 600)
  --seed <n>                  workflow seed and twin seed (default 1)
  --format, --window <a:b>, --max-requests <n>, --token-scale <f>, --loop <l>   as 'oicf replay'

Search:
  --space <file>              designs to search (space.json; default: the package's spaces/default.json)
  --slo ttft=<s>,tpot=<s>     SLOs a request must meet to count (e.g. ttft=2.5,tpot=150ms)
  --budget <$/h>|usd=…,watts=…  rank out designs above it
  --objective <o>             goodput-per-usd (default), goodput-per-kw, goodput, tokens-per-joule
  --simulate-top <n>          designs the twin runs (default 50; 0 = screen only)

Scale:
  --workers <n>               worker threads on this host (default 1)
  --shard <i>/<N>             only designs whose index mod N is i; 'oicf explore merge' joins shards

Output:
  --out <dir>                 output folder (default out/explore/<timestamp>/)
  --top <n>                   rows of the terminal table (default 20)
  --json | --csv              print the ranking as JSON or CSV instead of the table

Exit status: 0 done, 130 interrupted (partial ranking written), 2 bad usage.
`;

export interface ExploreDependencies {
  readonly clock?: Clock;
  readonly defaultOutDir?: () => string;
}

export function createExploreCommand(deps: ExploreDependencies = {}): Command {
  return {
    name: 'explore',
    summary: 'Search cluster designs (devices, TP, KV tiers, routing) for goodput per $ and per W under SLOs',
    usage: USAGE,
    async run(argv: string[], io: CommandIo): Promise<number> {
      const args = parseExploreArgs(argv);
      let read: Awaited<ReturnType<typeof readSpaceFile>>;
      try {
        read = await readSpaceFile(args.space ?? DEFAULT_SPACE_FILE, io.cwd);
      } catch (err) {
        throw new UsageError(`--space: ${(err as Error).message}`);
      }
      if (!read.space.ok)
        throw new UsageError(`--space ${args.space ?? DEFAULT_SPACE_FILE}: ${read.space.error.message}`);
      const budget = {
        usdPerHour: args.budget.usdPerHour ?? read.space.value.budget.usdPerHour,
        watts: args.budget.watts ?? read.space.value.budget.watts,
      };
      const space = { ...read.space.value, budget };
      const workload = await loadWorkload(args, space.model, io.cwd);
      for (const w of workload.warnings) io.stderr(`warning: ${w}\n`);
      const profile = profileWorkload(workload.requests);
      const all = enumerateConfigurations(space);
      const configs = args.shard === null ? all : shardOf(all, args.shard.index, args.shard.count);
      io.stderr(
        `oicf explore: ${countConfigurations(space)} configurations${args.shard ? `, shard ${args.shard.index}/${args.shard.count}: ${configs.length}` : ''}; ${profile.numRequests} requests (${workload.label}); simulating the best ${args.simulateTop}${args.workers > 1 ? ` on ${args.workers} worker threads` : ''}\n`,
      );
      const progress = new ExploreProgress(io.stderr, io.isTty, deps.clock ?? realClock);
      const spaceJson = budgetJson(read.json, budget);
      const stages = await runStages({
        space,
        spaceJson,
        configs,
        profile,
        requests: workload.requests,
        loop: workload.loop,
        slo: args.slo,
        seed: args.seed,
        workers: args.workers,
        simulateTop: args.simulateTop,
        objective: args.objective,
        signal: io.signal,
        progress,
      });
      const file = resultFile(
        {
          space,
          spaceJson,
          requests: workload.requests,
          loop: workload.loop,
          workloadLabel: workload.label,
          slo: args.slo,
          seed: args.seed,
          objective: args.objective,
          simulateTop: args.simulateTop,
          shard: args.shard,
          command: ['oicf', 'explore', ...argv].join(' '),
        },
        profile,
        stages.screened,
        stages.simulated,
        stages.interrupted,
      );
      writeExplore(io, args.out ?? (deps.defaultOutDir ?? defaultExploreDir)(), file, args);
      return stages.interrupted ? 130 : 0;
    },
  };
}

/** The space JSON the workers parse, with the budget the command line set. */
function budgetJson(json: unknown, budget: { usdPerHour: number | null; watts: number | null }): unknown {
  const b: Record<string, number> = {};
  if (budget.usdPerHour !== null) b.usdPerHour = budget.usdPerHour;
  if (budget.watts !== null) b.watts = budget.watts;
  return { ...(json as Record<string, unknown>), budget: b };
}

export const exploreCommand = createExploreCommand();
