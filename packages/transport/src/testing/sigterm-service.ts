// A service process for the lifecycle test: HTTP + gRPC (KvPool.Health answers after 300 ms) + WebSocket
// (kv.put is acked after 300 ms). It never calls process.exit: after SIGTERM it must exit on its own, which
// proves the shutdown left no open handles.
import { type KvPoolHandlers, loadProto } from '@oicf/proto';
import { defineService } from '../grpc-server.js';
import { OicfError } from '../oicf-error.js';
import { startService } from '../service.js';

// Each handler announces itself on stdout, so the test sends SIGTERM only once both are in flight.
const slow = (what: string) => {
  process.stdout.write(`${JSON.stringify({ event: 'handler-started', what })}\n`);
  return new Promise((r) => setTimeout(r, 300));
};
const unimplemented = () => {
  throw new OicfError('UNIMPLEMENTED', 'not in this fixture');
};

await startService({
  name: 'sigterm-fixture',
  drainTimeoutSeconds: 5,
  metrics: { contentType: 'text/plain; version=0.0.4', metrics: async () => 'fixture_up 1\n' },
  grpc: {
    services: [
      defineService<KvPoolHandlers>(loadProto().KvPool.service, {
        Lookup: unimplemented,
        Lease: unimplemented,
        Release: unimplemented,
        Stats: unimplemented,
        Evict: unimplemented,
        Health: async () => {
          await slow('health');
          return { status: 'SERVING_STATUS_SERVING' };
        },
      }),
    ],
  },
  ws: {
    onFrame: async (frame, conn) => {
      if (frame.kind !== 'kv.put') return;
      await slow('put');
      await conn.send('kv.put.ack', frame.id, { blockId: frame.body.blockId });
    },
  },
});
