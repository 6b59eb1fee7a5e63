import type { CommandIo } from '../command.js';

/** Launches the default cluster, sends agent-style requests, reports and stops it. */
export async function runClusterDemo(io: CommandIo, _outDir: string): Promise<number> {
  io.stderr('oicf demo: the serving cluster is not available in this build yet (run with --skip-cluster)\n');
  return 1;
}
