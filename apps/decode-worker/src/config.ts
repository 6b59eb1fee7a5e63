import { type WorkerConfig, workerConfigSchemaFor } from '@oicf/worker';

/** The decode worker's config: the shared worker keys (@oicf/worker workerConfigSchema) with role "decode" or "both". */
export const decodeWorkerConfigSchema = workerConfigSchemaFor(['decode', 'both']);
export type DecodeWorkerConfig = WorkerConfig & { role: 'decode' | 'both' };
