import { kvFormatOf, setBlockSigner } from '@oicf/pool-client';
import { loadClusterCredentialsFromEnv } from '@oicf/transport';
import type { z } from 'zod';
import type { WorkerConfig } from '../config/worker-config.js';
import { createLogger, type Logger } from '../util/logger.js';
import { loadWorkerConfigOrExit } from './load-worker-config.js';
import { createWorkerRuntime, type RuntimeOptions, type WorkerRuntime } from './worker-runtime.js';

/** The parts of Node's `process` a worker's main.ts hands over (packages never reach for the global). */
export interface WorkerProcess {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  exit(code: number): never;
}

/**
 * The opening of both workers' main.ts: config from `--config`, `<envPrefix>…` env and flags (exit 2
 * listing every bad field), a JSON-lines logger (warn and error to stderr, the rest to stdout) and the
 * runtime (kernels, pacing, metrics, pool and peer clients).
 */
export function bootWorker<S extends z.ZodType<WorkerConfig>>(
  schema: S,
  service: 'prefill-worker' | 'decode-worker',
  envPrefix: string,
  proc: WorkerProcess,
  runtime: Omit<RuntimeOptions, 'log'>,
): { config: z.output<S>; log: Logger; rt: WorkerRuntime } {
  const config = loadWorkerConfigOrExit(schema, service, envPrefix, {
    argv: proc.argv.slice(2),
    env: proc.env,
    stderr: (t) => proc.stderr.write(t),
    exit: (code) => proc.exit(code),
  });
  const log = createLogger({ service, workerId: config.workerId }, config.logLevel, (line, level) =>
    (level === 'warn' || level === 'error' ? proc.stderr : proc.stdout).write(`${line}\n`),
  );
  // Cluster credentials (OICF_CLUSTER_AUTH_FILE, written by the launcher): every plane this worker serves
  // or calls then authenticates (docs/reliability.md).
  try {
    const credentials = loadClusterCredentialsFromEnv(proc.env);
    if (credentials !== undefined && credentials.memberId !== config.workerId) {
      throw new Error(`the credentials are for ${credentials.memberId}, not this worker (${config.workerId})`);
    }
    // Every block this worker offers the pool carries its keyed digest (docs/reliability.md).
    if (credentials?.blockKey !== undefined) {
      setBlockSigner({ key: credentials.blockKey, kvFormat: kvFormatOf(config.model, config.weightPrecision) });
    }
  } catch (err) {
    proc.stderr.write(`${service}: ${(err as Error).message}\n`);
    proc.exit(2);
  }
  const rt = createWorkerRuntime(config, { ...runtime, log });
  return { config, log, rt };
}
