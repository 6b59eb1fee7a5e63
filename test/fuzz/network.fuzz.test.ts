// The router's HTTP API and gRPC services on arbitrary input over real sockets (issue 14.6): an in-process
// router with a scripted decode worker, and a kv-pool, on 127.0.0.1 port 0. Every request gets an answer
// within its deadline (no hung connection): HTTP a status with, for an error, the OpenAI error shape and a
// message; gRPC a status whose message says what was wrong (never INTERNAL for bad input). Afterwards both
// still serve.

import { kvPoolConfigSchema } from '@oicf/kv-pool/config';
import { startKvPool } from '@oicf/kv-pool/server';
import { loadProto } from '@oicf/proto';
import { startTestRouter, type TestRouter } from '@oicf/router/testing/router-harness';
import { createGrpcClient } from '@oicf/transport';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { within } from './fuzz-budget.js';
import { fuzzProperty } from './fuzz-property.js';

let router: TestRouter;
let pool: Awaited<ReturnType<typeof startKvPool>>;

beforeAll(async () => {
  router = await startTestRouter({ maxBodyBytes: 64 * 1024 });
  await router.addWorker({ workerId: 'decode-0', role: 'decode', text: 'ok' });
  const config = kvPoolConfigSchema.parse({ drainTimeoutSeconds: 1, tiers: { dram: { capacityBytes: 1 << 22 } } });
  pool = await startKvPool(config, { handleSignals: false, log: () => {} });
});

afterAll(async () => {
  await router?.close();
  await pool?.service.shutdown('fuzz done');
});

const body = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        model: fc.oneof(fc.constant('tiny-gqa'), fc.jsonValue()),
        prompt: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue()),
        messages: fc.jsonValue(),
        max_tokens: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.jsonValue()),
        stream: fc.oneof(fc.boolean(), fc.jsonValue()),
        temperature: fc.jsonValue(),
        n: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

describe('the router HTTP API under fuzzing', () => {
  it('answers every body on both generation routes, errors in the OpenAI shape with a message', async () => {
    await fuzzProperty(
      'http-api',
      fc.tuple(
        fc.constantFrom('/v1/completions', '/v1/chat/completions'),
        body,
        fc.constantFrom('application/json', 'text/plain', ''),
      ),
      150,
      async ([path, text, contentType]) => {
        const res = await within(
          10,
          `POST ${path}`,
          fetch(`${router.url}${path}`, {
            method: 'POST',
            headers: contentType === '' ? {} : { 'content-type': contentType },
            body: text,
          }),
        );
        const reply = await within(10, `POST ${path} body`, res.text());
        if (res.status === 200) return;
        if (res.status < 400 || res.status >= 600) throw new Error(`status ${res.status}`);
        const parsed = JSON.parse(reply) as { error?: { message?: unknown } };
        if (typeof parsed.error?.message !== 'string' || parsed.error.message === '') {
          throw new Error(`an error without a message: ${reply.slice(0, 200)}`);
        }
      },
    );
    expect((await fetch(`${router.url}/healthz`)).status).toBe(200);
  });
});

describe('gRPC services under fuzzing', () => {
  const proto = loadProto();
  const same = (b: Buffer) => b;
  const methods = [
    { name: 'Registry/Register', ctor: proto.Registry, address: () => router.grpcAddress },
    { name: 'Registry/Heartbeat', ctor: proto.Registry, address: () => router.grpcAddress },
    { name: 'KvPool/Lookup', ctor: proto.KvPool, address: () => pool.service.endpoints.grpc as string },
    { name: 'KvPool/Lease', ctor: proto.KvPool, address: () => pool.service.endpoints.grpc as string },
    { name: 'KvPool/Evict', ctor: proto.KvPool, address: () => pool.service.endpoints.grpc as string },
  ];

  it('answers arbitrary request bytes with a status and a message, never INTERNAL', async () => {
    const clients = methods.map((m) => createGrpcClient(m.ctor as Parameters<typeof createGrpcClient>[0], m.address()));
    try {
      await fuzzProperty(
        'grpc-messages',
        fc.tuple(fc.nat({ max: methods.length - 1 }), fc.uint8Array({ maxLength: 300 })),
        300,
        async ([i, bytes]) => {
          const client = clients[i] as (typeof clients)[number];
          const path = `/oicf.v1.${methods[i]?.name}`;
          const err = await within(
            10,
            path,
            new Promise<{ code: number; details: string } | null>((resolve) => {
              client.makeUnaryRequest(path, same, same, Buffer.from(bytes), { deadline: Date.now() + 8000 }, (e) =>
                resolve(e ?? null),
              );
            }),
          );
          if (err === null) return; // the bytes happened to be a valid request
          if (err.code === 13 || err.code === 4 || err.details.length === 0) {
            throw new Error(`${path}: status ${err.code} "${err.details}"`);
          }
        },
      );
    } finally {
      for (const c of clients) c.close();
    }
    expect((await fetch(`${router.url}/healthz`)).status).toBe(200);
  });
});
