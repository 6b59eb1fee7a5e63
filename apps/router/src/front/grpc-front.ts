// gRPC front door: Router.Generate (server stream of GenerateChunk). Deadline and cancellation of the
// caller's call abort the request like an HTTP client disconnect. The service is public (no cluster
// membership): API keys and the per-client limit are checked by grpcApiGuard (api-auth.ts).
import { type GenerateChunk, type GenerateRequest__Output, loadProto, type RouterHandlers } from '@oicf/proto';
import { type CallContext, type Clock, defineService, type ServiceRegistration, toOicfError } from '@oicf/transport';
import type { GenerateLimits } from '../core/validate-generate.js';
import type { RouterMetrics } from '../metrics.js';
import type { RouterCore } from '../pipeline/router-core.js';
import type { ApiAuth } from './api-auth.js';
import { grpcApiGuard } from './api-auth-doors.js';
import { generateProtoChunks } from './proto-generate.js';

export function routerGrpcService(
  core: RouterCore,
  limits: GenerateLimits,
  clock: Clock,
  metrics: RouterMetrics,
  auth: ApiAuth,
): ServiceRegistration {
  const generate = async (
    req: GenerateRequest__Output,
    write: (chunk: GenerateChunk) => Promise<void>,
    ctx: CallContext,
  ): Promise<void> => {
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
  };
  return defineService<RouterHandlers>(
    loadProto().Router.service,
    { Generate: grpcApiGuard(auth, generate, (_req, _write, ctx) => ctx) },
    { access: 'public' },
  );
}
