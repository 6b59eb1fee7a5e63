// Bad input against a live cluster (router, 1 prefill worker, 1 decode worker, KV pool as OS processes):
// each bad request gets a clear error naming what was wrong, and every service still serves a normal
// request afterwards. One cluster for every case keeps this file to a few seconds. Bad config files are
// in bad-config.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliCredentials, launchCluster, parseClusterConfig, type RunningCluster } from '@oicf/cluster';
import { chainBlockIds } from '@oicf/kv';
import { PoolControl } from '@oicf/pool-client';
import { loadProto } from '@oicf/proto';
import { type ClusterCredentials, clusterAuthHeaders, createGrpcClient } from '@oicf/transport';
import { Packr, unpack } from 'msgpackr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

// Workers keep their default 8,192-token sequence limit (maxTokensPerSequence); the router forces
// remote prefill (maxLocalPrefillTokens 0) so a normal request goes through every service.
const MAX_SEQUENCE_TOKENS = 8192;
const dir = mkdtempSync(join(tmpdir(), 'oicf-bad-input-'));
let cluster: RunningCluster;

beforeAll(async () => {
  const parsed = parseClusterConfig({
    blockTokens: 16,
    prefill: { count: 1 },
    decode: { count: 1 },
    router: { policyParams: { maxLocalPrefillTokens: 0 } },
    pool: { tiers: { dram: { capacityBytes: 16 * 1024 * 1024 } } },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  cluster = await launchCluster(parsed.value, { runDir: join(dir, 'cluster') });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The cluster's credentials for the CLI: a member of another identity than any service. */
const member = () => cliCredentials(join(dir, 'cluster')) as ClusterCredentials;

const endpoint = (name: string) => {
  const s = cluster.services.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no service ${name}`);
  return s.endpoints;
};

/** The parts of an OpenAI-style reply these tests read (error replies carry only `error`). */
interface Reply {
  error: { message: string; code: string; param: string | null };
  usage: unknown;
  oicf: unknown;
}

async function post(path: string, body: string): Promise<{ status: number; json: Reply }> {
  const res = await fetch(`${cluster.routerUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, json: (await res.json()) as Reply };
}

/** A normal completion through router → pool lookup → prefill worker → decode worker. */
async function expectServes(): Promise<void> {
  const prompt = 'a normal request after bad input: route, prefill, hand off, decode';
  const { status, json } = await post(
    '/v1/completions',
    JSON.stringify({ model: 'tiny-gqa', prompt, max_tokens: 3, ignore_eos: true, temperature: 0 }),
  );
  expect(status).toBe(200);
  // The byte tokenizer: one token per UTF-8 byte of the ASCII prompt.
  expect(json.usage).toMatchObject({ prompt_tokens: prompt.length, completion_tokens: 3 });
  expect(json.oicf).toMatchObject({ prefill_worker_id: 'prefill-0', decode_worker_id: 'decode-0' });
}

describe('HTTP front door', () => {
  const completion = (extra: object) => JSON.stringify({ model: 'tiny-gqa', prompt: 'hi', ...extra });
  it.each([
    {
      name: 'malformed JSON',
      path: '/v1/completions',
      body: '{"model":"tiny-gqa","prompt":',
      status: 400,
      param: null,
    },
    {
      name: 'max_tokens as a string',
      path: '/v1/completions',
      body: completion({ max_tokens: '4' }),
      status: 400,
      param: 'max_tokens',
    },
    {
      name: 'messages not an array',
      path: '/v1/chat/completions',
      body: JSON.stringify({ model: 'tiny-gqa', messages: 'hi' }),
      status: 400,
      param: 'messages',
    },
    {
      name: 'a message without content',
      path: '/v1/chat/completions',
      body: JSON.stringify({ model: 'tiny-gqa', messages: [{ role: 'user' }] }),
      status: 400,
      param: 'messages[0].content',
    },
    // The byte vocabulary is 256 bytes + 3 specials = 259 ids, so 259 is the first one outside it.
    {
      name: 'token id 259',
      path: '/v1/completions',
      body: completion({ prompt: [1, 259] }),
      status: 400,
      param: 'prompt[1]',
    },
    {
      name: 'negative token id',
      path: '/v1/completions',
      body: completion({ prompt: [-1] }),
      status: 400,
      param: 'prompt[0]',
    },
    {
      name: 'max_tokens 0',
      path: '/v1/completions',
      body: completion({ max_tokens: 0 }),
      status: 400,
      param: 'max_tokens',
    },
    // 2 prompt tokens + 8,191 = 8,193 > the 8,192-token sequence limit: refused before any prefill.
    {
      name: 'max_tokens one past the sequence limit',
      path: '/v1/completions',
      body: completion({ max_tokens: MAX_SEQUENCE_TOKENS - 1 }),
      status: 400,
      param: 'max_tokens',
    },
    {
      name: 'max_tokens 10^9',
      path: '/v1/completions',
      body: completion({ max_tokens: 1e9 }),
      status: 400,
      param: 'max_tokens',
    },
    {
      name: 'chat max_completion_tokens past the limit',
      path: '/v1/chat/completions',
      body: JSON.stringify({
        model: 'tiny-gqa',
        messages: [{ role: 'user', content: 'x' }],
        max_completion_tokens: 1e6,
      }),
      status: 400,
      param: 'max_completion_tokens',
    },
  ])('$name → $status naming $param', async ({ path, body, status, param }) => {
    const res = await post(path, body);
    expect(res.status).toBe(status);
    expect(res.json.error.param).toBe(param);
    expect(res.json.error.message.length).toBeGreaterThan(10);
  });

  it('refuses max_tokens past the sequence limit at the router, saying what fits', async () => {
    const res = await post('/v1/completions', completion({ max_tokens: 9000 }));
    // OpenAI's code for a request longer than the context (replay counts these as rejects: 'context').
    expect(res.json.error.code).toBe('context_length_exceeded');
    // 2 + 9,000 = 9,002 tokens; at most 8,192 − 2 = 8,190 fit. No worker was called (its message differs).
    expect(res.json.error.message).toBe(
      'prompt (2) + max_tokens (9000) = 9002 tokens exceed the longest sequence a decode worker holds (8192 tokens): set max_tokens ≤ 8190',
    );
  });

  it('an unknown model is a 404 listing the served one', async () => {
    const res = await post('/v1/completions', JSON.stringify({ model: 'gpt-4', prompt: 'hi' }));
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect(res.json.error.message).toContain('valid ids: tiny-gqa');
  });

  it('a wrong method on an API path is a 405 naming the right one', async () => {
    const res = await fetch(`${cluster.routerUrl}/v1/completions`);
    expect([res.status, res.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('a body over maxBodyBytes (4 MiB) is a 413', async () => {
    const res = await post('/v1/completions', completion({ prompt: 'a'.repeat(5 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('request_too_large');
  });

  it('still serves a normal request afterwards', expectServes);
});

describe('WebSocket ports (pool, router, prefill and decode data planes)', () => {
  const packr = new Packr({ useRecords: false });
  const proto = loadProto();
  interface Outcome {
    frames: Array<{ kind: string; body: Record<string, unknown> }>;
    closeCode: number | undefined;
    /** The first byte of every message received (0xc1 would be a binary hot frame, which msgpack cannot read). */
    firstBytes: number[];
  }
  /**
   * Sends the message(s), collects frames until `until` matches one or the server closes. As a peer that reads
   * msgpack only and offers no binary hot frames (no x-oicf-hot-frames header): a message it cannot unpack
   * is recorded as kind 'undecodable' and ends the exchange.
   */
  function exchange(url: string, message: Buffer | Buffer[], until: (kind: string) => boolean): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      // As a cluster member: bad input from an authenticated peer is what this suite probes (outsiders are
      // refused at the handshake, attacks.test.ts).
      const ws = new WebSocket(url, { headers: clusterAuthHeaders(member()) });
      const out: Outcome = { frames: [], closeCode: undefined, firstBytes: [] };
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no answer from ${url} within 5 s: ${JSON.stringify(out)}`));
      }, 5000);
      ws.on('open', () => {
        for (const m of Array.isArray(message) ? message : [message]) ws.send(m);
      });
      ws.on('message', (data: Buffer) => {
        out.firstBytes.push(data[0] as number);
        let f: { kind: string; body: Record<string, unknown> };
        try {
          f = unpack(data) as { kind: string; body: Record<string, unknown> };
        } catch {
          f = { kind: 'undecodable', body: {} };
        }
        out.frames.push({ kind: f.kind, body: f.body });
        if (f.kind === 'undecodable' || until(f.kind)) ws.close();
      });
      ws.on('close', (code) => {
        clearTimeout(timer);
        out.closeCode = out.closeCode ?? code;
        resolve(out);
      });
      ws.on('error', () => {});
    });
  }
  const frame = (kind: string, body: object) => packr.pack({ v: 1, kind, id: 'q1', body });
  const MISSING_BLOCK = '0123456789abcdef0123456789abcdef';
  /** A request each port answers normally, and the frame kind that ends its answer. */
  const normal: Record<string, () => Promise<{ message: Buffer; done: string }>> = {
    // The pool serves reads only under a lease (docs/reliability.md): lease a block a request put there.
    'kv-pool': async () => {
      const lease = await poolLeaseOfSomeBlock();
      return {
        message: frame('kv.get', { blockIds: lease.leasedBlockIds, leaseId: lease.leaseId }),
        done: 'kv.get.done',
      };
    },
    'decode-0': async () => ({ message: frame('kv.get', { blockIds: [MISSING_BLOCK] }), done: 'kv.get.done' }),
    router: async () => ({ message: frame('generate', { text: 'hi', maxTokens: 2 }), done: 'generate.done' }),
  };
  /** Runs a normal request (its prompt's blocks reach the pool) and leases its first block. */
  async function poolLeaseOfSomeBlock() {
    await expectServes();
    const prompt = 'a normal request after bad input: route, prefill, hand off, decode';
    const [first] = chainBlockIds([...Buffer.from(prompt)], { blockTokens: 16 });
    const control = new PoolControl(endpoint('kv-pool').grpc as string, {
      connect: (a) => createGrpcClient(proto.KvPool, a, { auth: member() }),
    });
    try {
      const lease = await control.lease([first as string], 30, 'bad-input-test');
      expect(lease.leasedBlockIds).toEqual([first]);
      return lease;
    } finally {
      control.close();
    }
  }

  it.each(['kv-pool', 'router', 'prefill-0', 'decode-0'])(
    '%s: garbage closes with 1002, an oversized frame with 1009, a bad body gets an error frame',
    async (name) => {
      const url = endpoint(name).ws as string;
      const garbage = await exchange(url, Buffer.from([0xc1, 0xff, 0x00]), () => false);
      expect(garbage.closeCode).toBe(1002);
      expect(garbage.frames[0]).toMatchObject({ kind: 'error', body: { code: 'PROTOCOL_ERROR' } });
      // 17 MiB > the 16 MiB + 64 KiB frame limit.
      const oversized = await exchange(url, Buffer.alloc(17 * 1024 * 1024, 7), () => false);
      expect(oversized.closeCode).toBe(1009);
      const badBody = await exchange(url, frame('kv.get', { blockIds: 'x' }), (k) => k === 'error');
      expect(badBody.frames[0]).toMatchObject({
        kind: 'error',
        body: { code: 'INVALID_ARGUMENT', field: 'body.blockIds' },
      });
      const ok = await normal[name]?.();
      if (ok !== undefined) {
        const answer = await exchange(url, ok.message, (k) => k === ok.done);
        expect(answer.frames.at(-1)?.kind).toBe(ok.done);
      }
    },
  );

  it('decode-0 request plane: a decode naming a token outside the vocabulary is an error frame naming it', async () => {
    const url = endpoint('decode-0').ws as string;
    const bad = await exchange(
      url,
      frame('decode', { requestId: 'q1', promptTokenIds: [1, 999_999], maxTokens: 2 }),
      (k) => k === 'error',
    );
    expect(bad.frames[0]).toMatchObject({
      kind: 'error',
      body: { code: 'INVALID_ARGUMENT', field: 'prompt_token_ids[1]' },
    });
    // A request id that is not the frame's: refused, naming request_id.
    const mismatch = await exchange(
      url,
      frame('decode', { requestId: 'other', promptTokenIds: [1], maxTokens: 2 }),
      (k) => k === 'error',
    );
    expect(mismatch.frames[0]).toMatchObject({
      kind: 'error',
      body: { code: 'INVALID_ARGUMENT', field: 'request_id' },
    });
  });

  it('decode-0 request plane: a router of an older build (msgpack only, no hot-frames header) gets msgpack steps', async () => {
    const url = endpoint('decode-0').ws as string;
    const credit = packr.pack({ v: 1, kind: 'plane.credit', id: '*', body: { numFrames: 8 } });
    const decode = frame('decode', { requestId: 'q1', promptTokenIds: [1, 2, 3], maxTokens: 2 });
    const steps = await exchange(url, [credit, decode], (k) => k === 'decode.step');
    expect(steps.firstBytes).not.toContain(0xc1);
    // One step frame or more (the worker may send the next before the close lands), every one msgpack.
    expect(steps.frames.length).toBeGreaterThan(0);
    expect(new Set(steps.frames.map((f) => f.kind))).toEqual(new Set(['decode.step']));
    const outputs = steps.frames[0]?.body.outputs as Array<{ chunk: { requestId: string; tokenIds: number[] } }>;
    expect(outputs[0]?.chunk.requestId).toBe('q1');
    expect(outputs[0]?.chunk.tokenIds.length).toBeGreaterThan(0);
  });

  it('every service still serves a normal request afterwards', expectServes);
});

describe('gRPC services', () => {
  const proto = loadProto();
  // Not a protobuf message: 0xff… starts a varint tag that never ends within these bytes.
  const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x99]);
  const same = (b: Buffer) => b;

  it.each([
    { service: 'router', ctor: proto.Router, path: '/oicf.v1.Router/Generate', streaming: true },
    { service: 'router', ctor: proto.Registry, path: '/oicf.v1.Registry/Register', streaming: false },
    { service: 'prefill-0', ctor: proto.PrefillWorker, path: '/oicf.v1.PrefillWorker/Prefill', streaming: false },
    { service: 'decode-0', ctor: proto.DecodeWorker, path: '/oicf.v1.DecodeWorker/Decode', streaming: true },
    { service: 'kv-pool', ctor: proto.KvPool, path: '/oicf.v1.KvPool/Lookup', streaming: false },
  ])('$path: undecodable bytes are INVALID_ARGUMENT naming the method', async ({ service, ctor, path, streaming }) => {
    const client = createGrpcClient(ctor as Parameters<typeof createGrpcClient>[0], endpoint(service).grpc as string, {
      auth: member(),
    });
    try {
      const err = await new Promise<{ code: number; details: string }>((resolve) => {
        if (streaming) {
          const call = client.makeServerStreamRequest(path, same, same, garbage);
          call.on('data', () => {});
          call.on('error', resolve);
          call.on('end', () => resolve({ code: 0, details: 'stream ended without an error' }));
        } else {
          client.makeUnaryRequest(path, same, same, garbage, (e) =>
            resolve(e ?? { code: 0, details: 'call succeeded' }),
          );
        }
      });
      expect(err.code).toBe(3); // grpc status INVALID_ARGUMENT
      expect(err.details).toContain(`cannot decode the ${path} request (7 bytes)`);
    } finally {
      client.close();
    }
  });

  it('every service still serves a normal request afterwards', expectServes);
});
