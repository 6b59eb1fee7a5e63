// gRPC helpers over real sockets on 127.0.0.1, port 0, with the real oicf.v1 services.
import { Client, credentials, status } from '@grpc/grpc-js';
import {
  type DecodeWorkerClient,
  type DecodeWorkerHandlers,
  type KvPoolClient,
  type KvPoolHandlers,
  loadProto,
  type RouterHandlers,
} from '@oicf/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_MAPPING, type ErrorCode } from './error-codes.js';
import { createGrpcClient, serverStreamCall, unaryCall } from './grpc-client.js';
import { type CallContext, defineService, type GrpcServer, type ServiceImpl, startGrpcServer } from './grpc-server.js';
import { OicfError } from './oicf-error.js';

const proto = loadProto();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function pool(overrides: Partial<ServiceImpl<KvPoolHandlers>> = {}): ServiceImpl<KvPoolHandlers> {
  return {
    Lookup: (req) => ({
      numCachedBlocks: Math.min(2, req.blockIds.length),
      numCachedTokens: 64 * Math.min(2, req.blockIds.length),
      blocks: req.blockIds
        .slice(0, 2)
        .map((id, i) => ({ blockId: id, firstToken: 64 * i, numTokens: 64, tier: 'TIER_DRAM', sizeBytes: 2 ** 33 })),
    }),
    Lease: () => {
      throw new OicfError('UNIMPLEMENTED', 'not in this test');
    },
    Release: () => ({ released: false }),
    Stats: () => ({}),
    Evict: (req) => ({ freedBytes: req.freeBytes ?? 0 }),
    Health: () => ({ status: 'SERVING_STATUS_SERVING', uptimeSeconds: 1.5 }),
    ...overrides,
  };
}

async function serve(...services: Parameters<typeof startGrpcServer>[0]['services']): Promise<GrpcServer> {
  const s = await startGrpcServer({ services });
  cleanups.push(() => s.shutdown(1));
  return s;
}

function poolClient(address: string): KvPoolClient {
  const c = createGrpcClient(proto.KvPool, address);
  cleanups.push(() => c.close());
  return c;
}

describe('gRPC unary', () => {
  it('round-trips a Lookup with camelCase fields, enum names and 64-bit sizes as numbers', async () => {
    const s = await serve(defineService<KvPoolHandlers>(proto.KvPool.service, pool()));
    expect(s.address).toBe(`127.0.0.1:${s.port}`);
    const res = await unaryCall(poolClient(s.address), 'Lookup', { blockIds: ['a', 'b', 'c'] });
    expect(res).toEqual({
      numCachedBlocks: 2,
      numCachedTokens: 128,
      blocks: [
        { blockId: 'a', firstToken: 0, numTokens: 64, tier: 'TIER_DRAM', sizeBytes: 2 ** 33 },
        { blockId: 'b', firstToken: 64, numTokens: 64, tier: 'TIER_DRAM', sizeBytes: 2 ** 33 },
      ],
    });
  });

  it.each(ERROR_CODES)(
    'an OicfError %s thrown in a handler arrives as its mapped status, message and code',
    async (code: ErrorCode) => {
      const s = await serve(
        defineService<KvPoolHandlers>(
          proto.KvPool.service,
          pool({
            Evict: async () => {
              throw new OicfError(code, `evict failed with ${code}: try again`, { field: 'freeBytes' });
            },
          }),
        ),
      );
      const err = await unaryCall(poolClient(s.address), 'Evict', { freeBytes: 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OicfError);
      expect((err as OicfError).toJSON()).toEqual({
        code,
        message: `evict failed with ${code}: try again`,
        field: 'freeBytes',
      });
      const grpcStatus = ((err as OicfError).cause as { code: number }).code;
      expect(grpcStatus).toBe(ERROR_MAPPING[code].grpcStatus);
    },
  );

  it('a plain Error thrown in a handler arrives as INTERNAL with its text', async () => {
    const s = await serve(
      defineService<KvPoolHandlers>(
        proto.KvPool.service,
        pool({
          Stats: () => {
            throw new RangeError('tier index 7 out of range');
          },
        }),
      ),
    );
    const err = (await unaryCall(poolClient(s.address), 'Stats', {}).catch((e: unknown) => e)) as OicfError;
    expect({ code: err.code, status: (err.cause as { code: number }).code }).toEqual({
      code: 'INTERNAL',
      status: status.INTERNAL,
    });
    expect(err.message).toBe('unexpected failure: tier index 7 out of range');
  });

  it('refuses an implementation that lacks a method', () => {
    const { Health: _omit, ...partial } = pool();
    expect(() => defineService<KvPoolHandlers>(proto.KvPool.service, partial as ServiceImpl<KvPoolHandlers>)).toThrow(
      /implementation lacks Health/,
    );
  });
});

describe('gRPC server streaming', () => {
  it('streams chunks and then a mid-stream OicfError arrives as that code', async () => {
    const decode: ServiceImpl<DecodeWorkerHandlers> = {
      Decode: async (req, write) => {
        for (let i = 0; i < 3; i++)
          await write({ requestId: req.requestId, tokenIds: [i], text: Buffer.from([65 + i]) });
        if (req.maxTokens > 3)
          throw new OicfError('RESOURCE_EXHAUSTED', 'KV memory full: retry on another decode worker');
        await write({ requestId: req.requestId, finishReason: 'FINISH_REASON_LENGTH' });
      },
      Cancel: () => ({ cancelled: false }),
    };
    const s = await serve(defineService<DecodeWorkerHandlers>(proto.DecodeWorker.service, decode));
    const c: DecodeWorkerClient = createGrpcClient(proto.DecodeWorker, s.address);
    cleanups.push(() => c.close());

    const ok: string[] = [];
    for await (const chunk of serverStreamCall(c, 'Decode', { requestId: 'r1', maxTokens: 3 })) {
      ok.push(`${chunk.tokenIds.join(',')}|${chunk.text.toString()}|${chunk.finishReason}`);
    }
    expect(ok).toEqual([
      '0|A|FINISH_REASON_UNSPECIFIED',
      '1|B|FINISH_REASON_UNSPECIFIED',
      '2|C|FINISH_REASON_UNSPECIFIED',
      '||FINISH_REASON_LENGTH',
    ]);

    const seen: number[] = [];
    const err = await (async () => {
      for await (const chunk of serverStreamCall(c, 'Decode', { requestId: 'r2', maxTokens: 9 }))
        seen.push(...chunk.tokenIds);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([0, 1, 2]);
    expect(err).toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: 'KV memory full: retry on another decode worker',
    });
  });
});

describe('gRPC undecodable requests', () => {
  // Bytes that are not a protobuf message: 0xff… is a varint tag that never ends within the buffer.
  const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x99]);
  const rawCall = (address: string, path: string, streaming: boolean) =>
    new Promise<{ code: number; details: string }>((resolve) => {
      const client = new Client(address, credentials.createInsecure());
      cleanups.push(() => client.close());
      const same = (b: Buffer) => b;
      const done = (err: { code: number; details: string } | null) =>
        resolve(err === null ? { code: status.OK, details: '' } : { code: err.code, details: err.details });
      if (streaming) {
        const call = client.makeServerStreamRequest(path, same, same, garbage);
        call.on('error', done);
        call.on('end', () => done(null));
        call.on('data', () => {});
      } else {
        client.makeUnaryRequest(path, same, same, garbage, (err) => done(err as { code: number; details: string }));
      }
    });

  it('answer INVALID_ARGUMENT naming the method, without calling the handler, and the server keeps serving', async () => {
    let numCalls = 0;
    const s = await serve(
      defineService<KvPoolHandlers>(
        proto.KvPool.service,
        pool({
          Lookup: () => {
            numCalls += 1;
            return {};
          },
        }),
      ),
      defineService<DecodeWorkerHandlers>(proto.DecodeWorker.service, {
        Decode: async () => {
          numCalls += 1;
        },
        Cancel: () => ({ cancelled: false }),
      }),
    );
    for (const [path, streaming] of [
      ['/oicf.v1.KvPool/Lookup', false],
      ['/oicf.v1.DecodeWorker/Decode', true],
    ] as const) {
      const res = await rawCall(s.address, path, streaming);
      expect(res.code).toBe(status.INVALID_ARGUMENT);
      expect(res.details).toContain(`cannot decode the ${path} request (7 bytes)`);
    }
    expect(numCalls).toBe(0);
    await unaryCall(poolClient(s.address), 'Lookup', { blockIds: [] });
    expect(numCalls).toBe(1);
  });
});

describe('gRPC deadline propagation', () => {
  it('a downstream call made with `parent` inherits the caller deadline and fails when it passes', async () => {
    // Downstream: the pool's Health sees the deadline and outlives it.
    let seenDeadline: Date | undefined;
    let aborted = false;
    const downstream = await serve(
      defineService<KvPoolHandlers>(
        proto.KvPool.service,
        pool({
          Health: async (_req, ctx: CallContext) => {
            seenDeadline = ctx.deadline;
            await new Promise((r) => setTimeout(r, 600));
            aborted = ctx.signal.aborted;
            return { status: 'SERVING_STATUS_SERVING' };
          },
        }),
      ),
    );
    const downstreamClient = poolClient(downstream.address);
    // Upstream: the router's Generate calls the pool with parent = its own call and a 10 s own timeout.
    let upstreamDeadline: Date | undefined;
    const router: ServiceImpl<RouterHandlers> = {
      Generate: async (_req, write, ctx) => {
        upstreamDeadline = ctx.deadline;
        await unaryCall(downstreamClient, 'Health', {}, { parent: ctx, timeoutSeconds: 10 });
        await write({ requestId: 'never' });
      },
    };
    const upstream = await serve(defineService<RouterHandlers>(proto.Router.service, router));
    const routerClient = createGrpcClient(proto.Router, upstream.address);
    cleanups.push(() => routerClient.close());

    const err = await (async () => {
      for await (const _ of serverStreamCall(routerClient, 'Generate', { maxTokens: 1 }, { timeoutSeconds: 0.3 })) {
        /* no chunks expected */
      }
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    await new Promise((r) => setTimeout(r, 400));
    // The downstream saw the caller's deadline (the earlier one), not its own 10 s, and was told to stop.
    expect(upstreamDeadline).toBeDefined();
    expect(seenDeadline).toBeDefined();
    expect(Math.abs((seenDeadline as Date).getTime() - (upstreamDeadline as Date).getTime())).toBeLessThan(50);
    expect(aborted).toBe(true);
  });
});
