// gRPC front door: Router.Generate (server stream of GenerateChunk). Deadline and cancellation of the
// caller's call abort the request like an HTTP client disconnect.
import { loadProto, type RouterHandlers } from '@oicf/proto';
import { type Clock, defineService, type ServiceRegistration, toOicfError } from '@oicf/transport';
import type { GenerateLimits } from '../core/validate-generate.js';
import type { RouterMetrics } from '../metrics.js';
import type { RouterCore } from '../pipeline/router-core.js';
import { generateProtoChunks } from './proto-generate.js';

export function routerGrpcService(
  core: RouterCore,
  limits: GenerateLimits,
  clock: Clock,
  metrics: RouterMetrics,
): ServiceRegistration {
  return defineService<RouterHandlers>(loadProto().Router.service, {
    Generate: async (req, write, ctx) => {
      const arrivalSeconds = clock.nowSeconds();
      try {
        for await (const chunk of generateProtoChunks(core, req, limits, arrivalSeconds, ctx.signal)) {
          await write(chunk.body);
        }
        metrics.handled('grpc', 'OK');
      } catch (err) {
        metrics.handled('grpc', toOicfError(err).code);
        throw err;
      }
    },
  });
}
