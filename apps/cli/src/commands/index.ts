import type { Command } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { clusterDownCommand, clusterStatusCommand, clusterUpCommand } from './cluster.js';
import { demoCommand } from './demo.js';
import { exploreCommand } from './explore.js';
import { exploreMergeCommand } from './explore-merge.js';
import { replayCommand } from './replay.js';
import { rooflineCommand } from './roofline.js';
import { simulateCommand } from './simulate.js';
import { traceStatsCommand } from './trace-stats.js';
import { traceSynthCommand } from './trace-synth.js';

/** Every subcommand, in the order `oicf --help` lists them. */
export const commands: Command[] = [
  demoCommand,
  analyzeCommand,
  rooflineCommand,
  clusterUpCommand,
  clusterDownCommand,
  clusterStatusCommand,
  traceStatsCommand,
  traceSynthCommand,
  replayCommand,
  simulateCommand,
  exploreCommand,
  exploreMergeCommand,
];
