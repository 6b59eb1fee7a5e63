import { ConfigError, loadConfig } from '@oicf/transport';
import type { z } from 'zod';

/** What a worker's main.ts hands over from its process (packages never touch process state). */
export interface ProcessIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderr: (text: string) => void;
  readonly exit: (code: number) => never;
}

/**
 * Loads a worker config (file via --config, then env `<envPrefix>…`, then flags; see @oicf/transport loadConfig) and
 * exits with code 2 listing every bad field when it does not validate.
 */
export function loadWorkerConfigOrExit<S extends z.ZodType>(
  schema: S,
  name: string,
  envPrefix: string,
  io: ProcessIo,
): z.output<S> {
  try {
    return loadConfig(schema, { name, env: io.env, envPrefix, argv: io.argv });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`${err.message}\n`);
      return io.exit(2);
    }
    throw err;
  }
}
