// WebSocket front door on the router's data port: a `generate` frame (GenerateRequest) is answered by
// `generate.chunk` frames and one terminal `generate.done` frame under the same id; failures and rejects
// come back as an `error` frame (ErrorDetail). Closing the connection cancels its requests.
import { type Clock, type FrameHandler, OicfError, toOicfError } from '@oicf/transport';
import type { GenerateLimits } from '../core/validate-generate.js';
import type { RouterMetrics } from '../metrics.js';
import type { RouterCore } from '../pipeline/router-core.js';
import { generateProtoChunks } from './proto-generate.js';

export function wsFrameHandler(
  core: RouterCore,
  limits: GenerateLimits,
  clock: Clock,
  metrics: RouterMetrics,
): FrameHandler {
  return async (frame, conn) => {
    const arrivalSeconds = clock.nowSeconds();
    if (frame.kind !== 'generate') {
      throw new OicfError('INVALID_ARGUMENT', `this port answers only "generate" frames, got "${frame.kind}"`, {
        field: 'kind',
      });
    }
    try {
      for await (const chunk of generateProtoChunks(core, frame.body, limits, arrivalSeconds, conn.signal)) {
        await conn.send(chunk.last ? 'generate.done' : 'generate.chunk', frame.id, chunk.body);
      }
      metrics.handled('ws', 'OK');
    } catch (err) {
      metrics.handled('ws', toOicfError(err).code);
      throw err;
    }
  };
}
