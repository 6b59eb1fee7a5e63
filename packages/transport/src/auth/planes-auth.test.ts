// Member tokens on real sockets (127.0.0.1, port 0): a gRPC service and a WebSocket port with this
// process's credentials installed refuse callers without a token (UNAUTHENTICATED / HTTP 401) and serve
// members, and tell the handler who called.
import { type KvPoolHandlers, loadProto } from '@oicf/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { createGrpcClient, unaryCall } from '../grpc-client.js';
import { type CallContext, defineService, startGrpcServer } from '../grpc-server.js';
import { OicfError } from '../oicf-error.js';
import { connectWs } from '../ws-client.js';
import { startWsServer } from '../ws-server.js';
import { credentialsFor } from './cluster-keys.js';
import { setClusterCredentials } from './process-auth.js';

const ROOT = Buffer.alloc(32, 3);
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  setClusterCredentials(undefined);
});

const unimplemented = () => {
  throw new OicfError('UNIMPLEMENTED', 'not in this test');
};

async function poolServer(seen: Array<CallContext['caller']>, access?: 'public') {
  const s = await startGrpcServer({
    services: [
      defineService<KvPoolHandlers>(
        loadProto().KvPool.service,
        {
          Lookup: unimplemented,
          Lease: unimplemented,
          Release: unimplemented,
          Stats: unimplemented,
          Evict: unimplemented,
          Health: (_req, ctx) => {
            seen.push(ctx.caller);
            return { status: 'SERVING_STATUS_SERVING' };
          },
        },
        access === undefined ? {} : { access },
      ),
    ],
  });
  cleanups.push(() => s.shutdown(1));
  return s;
}

describe('gRPC with cluster credentials', () => {
  it('refuses a caller without a token before the handler runs, and names the caller to it', async () => {
    setClusterCredentials(credentialsFor(ROOT, 'kv-pool'));
    const seen: Array<CallContext['caller']> = [];
    const s = await poolServer(seen);
    const outsider = createGrpcClient(loadProto().KvPool, s.address, { auth: null });
    const wrongCluster = createGrpcClient(loadProto().KvPool, s.address, {
      auth: credentialsFor(Buffer.alloc(32, 4), 'x'),
    });
    const member = createGrpcClient(loadProto().KvPool, s.address, { auth: credentialsFor(ROOT, 'router') });
    cleanups.push(() => {
      for (const c of [outsider, wrongCluster, member]) c.close();
    });
    await expect(unaryCall(outsider, 'Health', {})).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/gRPC \/oicf\.v1\.KvPool\/Health is for cluster members only/),
    });
    await expect(unaryCall(wrongCluster, 'Health', {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(seen).toEqual([]);
    expect(await unaryCall(member, 'Health', {})).toMatchObject({ status: 'SERVING_STATUS_SERVING' });
    expect(seen).toEqual([{ memberId: 'router', identityVerified: false }]);
  });

  it('clients attach this process’s token by default; a public service takes anyone', async () => {
    setClusterCredentials(credentialsFor(ROOT, 'kv-pool'));
    const seen: Array<CallContext['caller']> = [];
    const members = await poolServer(seen);
    const open = await poolServer(seen, 'public');
    const a = createGrpcClient(loadProto().KvPool, members.address);
    const b = createGrpcClient(loadProto().KvPool, open.address, { auth: null });
    cleanups.push(() => {
      for (const c of [a, b]) c.close();
    });
    await unaryCall(a, 'Health', {});
    await unaryCall(b, 'Health', {});
    expect(seen).toEqual([{ memberId: 'kv-pool', identityVerified: false }, undefined]);
  });
});

describe('WebSocket with cluster credentials', () => {
  it('answers an upgrade without a member token 401 UNAUTHENTICATED; members connect', async () => {
    setClusterCredentials(credentialsFor(ROOT, 'decode-0'));
    const callers: unknown[] = [];
    const s = await startWsServer({
      onFrame: async (frame, conn) => {
        callers.push(conn.caller);
        await conn.send('kv.put.ack', frame.id, {
          blockId: 'b',
          tier: 'TIER_DRAM',
          alreadyPresent: false,
          storedBytes: 0,
        });
      },
    });
    cleanups.push(() => s.close());
    await expect(connectWs(s.url, { auth: null })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/this WebSocket port is for cluster members only/),
    });
    await expect(connectWs(s.url, { auth: credentialsFor(Buffer.alloc(32, 9), 'x') })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(s.numConnections()).toBe(0);
    const client = await connectWs(s.url, { auth: credentialsFor(ROOT, 'prefill-0') });
    cleanups.push(() => client.close());
    const body = {
      blockId: 'b',
      parentId: '',
      numTokens: 1,
      checksum: 0,
      payload: Buffer.alloc(0),
      sessionId: '',
      ttlSeconds: 0,
    };
    await client.request('kv.put', body, 'kv.put.ack');
    expect(callers).toEqual([{ memberId: 'prefill-0', identityVerified: false }]);
  });

  it('refuses connections past maxConnections with 503', async () => {
    const s = await startWsServer({ maxConnections: 1, onFrame: () => {} });
    cleanups.push(() => s.close());
    const first = await connectWs(s.url);
    cleanups.push(() => first.close());
    await expect(connectWs(s.url)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/limit of 1 connections/),
    });
  });
});
