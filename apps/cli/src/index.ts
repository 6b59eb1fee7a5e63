// @oicf/cli as a library, for end-to-end tests and benchmarks that run a command in process (the
// same code `oicf <command>` runs). Re-exports only.

export { type Command, type CommandIo, UsageError } from './command.js';
export { clusterDownCommand, clusterStatusCommand, clusterUpCommand } from './commands/cluster.js';
export { createExploreCommand, type ExploreDependencies, exploreCommand } from './commands/explore.js';
export { type ExploreArgs, parseExploreArgs } from './commands/explore-args.js';
export { exploreMergeCommand } from './commands/explore-merge.js';
export { commands } from './commands/index.js';
export { createReplayCommand, type ReplayDependencies, replayCommand } from './commands/replay.js';
export { traceStatsCommand } from './commands/trace-stats.js';
export { traceSynthCommand } from './commands/trace-synth.js';
export { main } from './main.js';
