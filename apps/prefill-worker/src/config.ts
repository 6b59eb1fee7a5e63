import { type WorkerConfig, workerConfigSchemaFor } from '@oicf/worker';

/** The prefill worker's config: the shared worker keys (@oicf/worker workerConfigSchema) with role "prefill". */
export const prefillWorkerConfigSchema = workerConfigSchemaFor(['prefill']);
export type PrefillWorkerConfig = WorkerConfig & { role: 'prefill' };
