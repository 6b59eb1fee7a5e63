// Multi-process: the prefill and decode workers as real OS processes on loopback (port 0), with the real
// kv-pool process, and an in-test gRPC Registry standing in for the router (it accepts registrations and
// heartbeats; the test itself plays the router's request path: Prefill, then Decode).
//
// Expected tokens come from one in-process KernelRunner running the same prompt greedily (same model,
// seed and thread count), never from the workers' own output.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { KernelRunner, tinyConfig } from '@oicf/kernels';
import { blockChecksum, chainBlockIds } from '@oicf/kv';
import { parsePrometheusText, sumSamples } from '@oicf/metrics/prometheus-text';
import { PoolControl } from '@oicf/pool-client';
import {
  type DecodeRequest,
  type DecodeWorkerClient,
  type HeartbeatRequest__Output,
  type KvPoolClient,
  loadProto,
  type PrefillWorkerClient,
  type RegisterRequest__Output,
  type RegistryHandlers,
  type TokenChunk__Output,
} from '@oicf/proto';
import {
  connectWs,
  createGrpcClient,
  defineService,
  type GrpcServer,
  serverStreamCall,
  startGrpcServer,
  unaryCall,
} from '@oicf/transport';
import { exportBlocks } from '@oicf/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const BLOCK_TOKENS = 16;
// tiny-gqa, fp32 KV: 4 layers × (K, V) × 2 kv heads × 64 dims × 4 B = 4096 bytes per token.
const KV_BYTES_PER_TOKEN = 4096;
const SEED = 1;
const MAX_TOKENS = 8;

/** A prompt of byte tokens: 70 = 4 full blocks of 16 + a 6-token partial block. */
const PROMPT_A = Array.from({ length: 70 }, (_, i) => (i * 37 + 11) % 256);
/** Shares A's first 64 tokens (4 blocks), then 20 tokens of its own. */
const PROMPT_B = [...PROMPT_A.slice(0, 64), ...Array.from({ length: 20 }, (_, i) => (i * 53 + 7) % 256)];
const PROMPT_C = Array.from({ length: 40 }, (_, i) => (i * 29 + 3) % 256);
const PROMPT_D = Array.from({ length: 33 }, (_, i) => (i * 41 + 19) % 256);
/** 84 tokens no worker has seen before. */
const PROMPT_E = Array.from({ length: 84 }, (_, i) => (i * 59 + 23) % 256);

/** BlockRefs of the first `n` full blocks of a prompt, as the router would list them. */
function blockRefs(prompt: readonly number[], n: number) {
  return chainBlockIds(prompt, { blockTokens: BLOCK_TOKENS })
    .slice(0, n)
    .map((blockId, i) => ({ blockId, firstToken: i * BLOCK_TOKENS, numTokens: BLOCK_TOKENS }));
}

interface Proc {
  child: ChildProcess;
  http: string;
  grpc: string;
  ws: string;
  log: string[];
}
const procs: Proc[] = [];

function start(app: string, args: string[]): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}apps/${app}/src/main.ts`, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OICF_PARENT_PID: String(process.pid) },
  });
  const log: string[] = [];
  child.stderr?.on('data', (c) => log.push(String(c)));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${app} did not listen within 60 s:\n${log.join('')}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${app} exited with ${code} before listening:\n${log.join('')}`)));
    lines.on('line', (line) => {
      log.push(line);
      if (!line.includes('"listening"')) return;
      const e = JSON.parse(line) as { endpoints: { http: string; grpc: string; ws: string } };
      clearTimeout(timer);
      const p = { child, log, ...e.endpoints };
      procs.push(p);
      resolve(p);
    });
  });
}

async function ready(p: Proc): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`${p.http}/readyz`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${p.http} never became ready:\n${p.log.join('\n')}`);
}

/** Sum of the samples of `name` whose labels include every `labels` pair. */
async function metric(p: Proc, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${p.http}/metrics`)).text();
  return sumSamples(parsePrometheusText(text).samples, name, labels);
}

// The router stand-in: a real gRPC Registry.
const registers: RegisterRequest__Output[] = [];
const heartbeats: HeartbeatRequest__Output[] = [];
let registry: GrpcServer;
let pool: Proc;
let prefill: Proc;
let decode: Proc;
let colocated: Proc;
let prefillClient: PrefillWorkerClient;
let decodeClient: DecodeWorkerClient;
let colocatedClient: DecodeWorkerClient;
let poolClient: KvPoolClient;
let reference: KernelRunner;

beforeAll(async () => {
  registry = await startGrpcServer({
    services: [
      defineService<RegistryHandlers>(loadProto().Registry.service, {
        Register: (req) => {
          registers.push(req);
          return { accepted: true, heartbeatIntervalSeconds: 0.2 };
        },
        Heartbeat: (req) => {
          heartbeats.push(req);
          return { acknowledged: true };
        },
      }),
    ],
  });
  pool = await start('kv-pool', [
    `--blockTokens=${BLOCK_TOKENS}`,
    '--tiers.dram.capacityBytes=67108864',
    '--policy.name=lru',
  ]);
  const common = [
    '--model=tiny-gqa',
    `--seed=${SEED}`,
    `--blockTokens=${BLOCK_TOKENS}`,
    `--routerGrpcAddress=${registry.address}`,
    `--pool.grpcAddress=${pool.grpc}`,
    `--pool.wsAddress=${pool.ws}`,
    '--maxTokensPerSequence=1024',
  ];
  [prefill, decode, colocated] = await Promise.all([
    start('prefill-worker', ['--workerId=prefill-0', '--role=prefill', ...common]),
    start('decode-worker', ['--workerId=decode-0', '--role=decode', ...common]),
    start('decode-worker', ['--workerId=both-0', '--role=both', ...common]),
  ]);
  await Promise.all([prefill, decode, colocated].map(ready));
  prefillClient = createGrpcClient(loadProto().PrefillWorker, prefill.grpc);
  decodeClient = createGrpcClient(loadProto().DecodeWorker, decode.grpc);
  colocatedClient = createGrpcClient(loadProto().DecodeWorker, colocated.grpc);
  poolClient = createGrpcClient(loadProto().KvPool, pool.grpc);
  reference = new KernelRunner({
    config: tinyConfig('gqa', { seed: SEED, maxPositions: 1024 }),
    intraOpNumThreads: 1,
    maxTokensPerSequence: 256,
  });
}, 120_000);

afterAll(async () => {
  for (const c of [prefillClient, decodeClient, colocatedClient, poolClient]) c?.close();
  await reference?.close();
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null) return resolve();
          p.child.once('exit', () => resolve());
          p.child.kill('SIGTERM');
          setTimeout(() => p.child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  await registry?.shutdown(0);
});

/** n greedy tokens of `prompt` from the in-process KernelRunner: prefill, then one decode step each. */
async function greedy(prompt: readonly number[], n: number): Promise<number[]> {
  const id = `ref-${Math.random()}`;
  let logits = (await reference.prefill(id, prompt)).logits;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const next = logits.indexOf(Math.max(...logits));
    out.push(next);
    if (i < n - 1) logits = (await reference.decodeStep([id], [next])).logits;
  }
  reference.release(id);
  return out;
}

async function runDecode(client: DecodeWorkerClient, req: DecodeRequest): Promise<TokenChunk__Output[]> {
  const chunks: TokenChunk__Output[] = [];
  for await (const c of serverStreamCall(client, 'Decode', req, { timeoutSeconds: 60 })) chunks.push(c);
  return chunks;
}
const tokensOf = (chunks: TokenChunk__Output[]) => chunks.flatMap((c) => c.tokenIds);
const GREEDY = { temperature: 0, seed: 0 };

describe('prefill and decode workers as processes', () => {
  it('register with the router stand-in (roles, addresses, capacity) and heartbeat their load', async () => {
    const byId = new Map(registers.map((r) => [r.workerId, r]));
    expect(byId.get('prefill-0')).toMatchObject({
      role: 'WORKER_ROLE_PREFILL',
      grpcAddress: prefill.grpc,
      wsAddress: prefill.ws,
      modelId: 'tiny-gqa',
      deviceId: 'this-machine',
    });
    expect(byId.get('decode-0')).toMatchObject({
      role: 'WORKER_ROLE_DECODE',
      grpcAddress: decode.grpc,
      wsAddress: decode.ws,
      capacity: { kvCapacityBytes: 256 * 1024 * 1024, maxBatch: 16, maxContextTokens: 1024 },
    });
    expect(byId.get('both-0')?.role).toBe('WORKER_ROLE_BOTH');
    for (let i = 0; i < 50 && !heartbeats.some((h) => h.workerId === 'decode-0'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(heartbeats.find((h) => h.workerId === 'decode-0')?.load?.kvCapacityBytes).toBe(256 * 1024 * 1024);
  });

  it('disaggregated: remote prefill hands KV to the decode worker; streamed tokens equal a greedy KernelRunner', async () => {
    const expected = await greedy(PROMPT_A, MAX_TOKENS);
    const pre = await unaryCall(
      prefillClient,
      'Prefill',
      {
        requestId: 'req-a',
        tokenIds: PROMPT_A,
        decodeWsAddress: decode.ws,
        poolWsAddress: pool.ws,
        sessionId: 'session-a',
        sessionTtlSeconds: 60,
        sampling: GREEDY,
        numDecodeCachedTokens: 0,
      },
      { timeoutSeconds: 60 },
    );
    expect(pre.firstTokenId).toBe(expected[0]);
    expect([pre.numCachedTokens, pre.numComputedTokens]).toEqual([0, 70]);
    // Handoff of all 70 tokens + 4 full blocks (64 tokens) to the pool: (70 + 64) × 4096 = 548,864.
    expect(pre.kvBytesSent).toBe((70 + 64) * KV_BYTES_PER_TOKEN);
    // The prefill worker's capacity footprint is the KV its one sequence held, the whole prompt's, not 0 B
    // (issue 16.6): 70 tokens × 4,096 B per token = 286,720 B.
    expect(await metric(prefill, 'oicf_prefill_capacity_footprint_bytes')).toBe(286_720);
    expect(pre.blocks.map((b) => b.blockId)).toEqual(chainBlockIds(PROMPT_A, { blockTokens: BLOCK_TOKENS }));
    const chunks = await runDecode(decodeClient, {
      requestId: 'req-a',
      promptTokenIds: PROMPT_A,
      numHandoffTokens: 70,
      firstTokenId: pre.firstTokenId,
      maxTokens: MAX_TOKENS,
      sampling: GREEDY,
      sessionId: 'session-a',
      sessionTtlSeconds: 60,
    });
    // The first token is not re-sent (the router streamed it already).
    expect(tokensOf(chunks)).toEqual(expected.slice(1));
    const last = chunks[chunks.length - 1];
    expect(last?.finishReason).toBe('FINISH_REASON_LENGTH');
    expect(last?.usage).toEqual({ numPromptTokens: 70, numCompletionTokens: MAX_TOKENS, numCachedPromptTokens: 0 });
    expect(await metric(decode, 'oicf_decode_kv_received_bytes_total', { link: 'prefill->decode' })).toBe(
      70 * KV_BYTES_PER_TOKEN,
    );
    // All on one host: the handoff's 70 tokens went through the prefill worker's shared-memory segment,
    // and the one full block it offered the pool (tokens 0–63, the 64 of kvBytesSent) through the arena.
    expect(await metric(decode, 'oicf_decode_kv_path_bytes_total', { link: 'prefill->decode', path: 'shm' })).toBe(
      70 * KV_BYTES_PER_TOKEN,
    );
    expect(await metric(prefill, 'oicf_prefill_kv_path_bytes_total', { link: 'worker->pool', path: 'shm' })).toBe(
      64 * KV_BYTES_PER_TOKEN,
    );
    // The pool now holds the 4 full blocks the prefill worker offered.
    const lookup = await unaryCall(poolClient, 'Lookup', {
      blockIds: chainBlockIds(PROMPT_A, { blockTokens: BLOCK_TOKENS }),
    });
    expect(lookup.numCachedBlocks).toBe(4);
  });

  it('colocated: a worker with role "both" prefills locally and produces the same tokens', async () => {
    const expected = await greedy(PROMPT_A, MAX_TOKENS);
    const chunks = await runDecode(colocatedClient, {
      requestId: 'req-a-colocated',
      promptTokenIds: PROMPT_A,
      numHandoffTokens: 0,
      maxTokens: MAX_TOKENS,
      sampling: GREEDY,
    });
    expect(tokensOf(chunks)).toEqual(expected);
    expect(chunks[chunks.length - 1]?.finishReason).toBe('FINISH_REASON_LENGTH');
  });

  it('a second request sharing a prefix reuses the decode worker’s local blocks and moves fewer KV bytes', async () => {
    const expected = await greedy(PROMPT_B, MAX_TOKENS);
    const receivedBefore = await metric(decode, 'oicf_decode_kv_received_bytes_total', { link: 'prefill->decode' });
    const localBefore = await metric(decode, 'oicf_decode_prefix_reused_tokens_total', { source: 'local' });
    // Like the router: the pool's cached prefix of B (A's 4 blocks) goes to the prefill worker, and the
    // decode worker is known to hold those 64 tokens, so the handoff starts after them.
    const ids = chainBlockIds(PROMPT_B, { blockTokens: BLOCK_TOKENS });
    const lookup = await unaryCall(poolClient, 'Lookup', { blockIds: ids });
    expect(lookup.numCachedBlocks).toBe(4);
    const pre = await unaryCall(
      prefillClient,
      'Prefill',
      {
        requestId: 'req-b',
        tokenIds: PROMPT_B,
        cachedPrefix: [{ wsAddress: pool.ws, leaseId: '', blocks: lookup.blocks }],
        decodeWsAddress: decode.ws,
        poolWsAddress: pool.ws,
        sampling: GREEDY,
        numDecodeCachedTokens: 64,
      },
      { timeoutSeconds: 60 },
    );
    expect([pre.numCachedTokens, pre.numComputedTokens]).toEqual([64, 20]);
    expect(pre.firstTokenId).toBe(expected[0]);
    const chunks = await runDecode(decodeClient, {
      requestId: 'req-b',
      promptTokenIds: PROMPT_B,
      numHandoffTokens: 20,
      firstTokenId: pre.firstTokenId,
      maxTokens: MAX_TOKENS,
      sampling: GREEDY,
    });
    expect(tokensOf(chunks)).toEqual(expected.slice(1));
    expect(chunks[chunks.length - 1]?.usage?.numCachedPromptTokens).toBe(64);
    // Only the 20 uncached tokens crossed prefill→decode: 20 × 4096 = 81,920 bytes (not 84 × 4096).
    expect(
      (await metric(decode, 'oicf_decode_kv_received_bytes_total', { link: 'prefill->decode' })) - receivedBefore,
    ).toBe(20 * KV_BYTES_PER_TOKEN);
    // The decode worker's 64 local tokens only shortened the handoff: the prompt is counted once, by the worker
    // that prefilled it, 64 reused from the pool + 20 computed = 84 sent (issue 16.3; the decode worker used to
    // count its 64 again, so workers counted more prompt tokens than were sent).
    expect((await metric(decode, 'oicf_decode_prefix_reused_tokens_total', { source: 'local' })) - localBefore).toBe(0);
    expect(await metric(prefill, 'oicf_prefill_prefix_reused_tokens_total', { source: 'pool' })).toBe(64);
  });

  it('a corrupted handoff frame is rejected (CHECKSUM_MISMATCH) and the request completes by recomputing', async () => {
    const expected = await greedy(PROMPT_C, MAX_TOKENS);
    // Push PROMPT_C's KV as a prefill worker would, with one byte of the second block flipped.
    await reference.prefill('c', PROMPT_C);
    const blocks = exportBlocks(reference, 'c', {
      fromToken: 0,
      toToken: PROMPT_C.length,
      blockTokens: BLOCK_TOKENS,
      blockIds: chainBlockIds(PROMPT_C, { blockTokens: BLOCK_TOKENS }),
    });
    reference.release('c');
    const bad = Uint8Array.from(blocks[1]?.payload ?? []);
    bad[100] = (bad[100] ?? 0) ^ 0x01;
    expect(blockChecksum(bad)).not.toBe(blocks[1]?.checksum);
    const ws = await connectWs(decode.ws);
    const call = ws.call({ id: 'req-c' });
    const result = call.result('kv.handoff.ack');
    result.catch(() => {});
    for (const [i, b] of blocks.entries()) {
      await call
        .send('kv.handoff', {
          requestId: 'req-c',
          blockId: b.blockId,
          firstToken: b.firstToken,
          numTokens: b.numTokens,
          checksum: b.checksum,
          payload: i === 1 ? bad : b.payload,
          last: i === blocks.length - 1,
        })
        .catch(() => {});
    }
    await expect(result).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      message: expect.stringMatching(/tokens \[16, 32\) of req-c failed its XXH32 check/),
    });
    await ws.close();
    const chunks = await runDecode(decodeClient, {
      requestId: 'req-c',
      promptTokenIds: PROMPT_C,
      numHandoffTokens: PROMPT_C.length,
      firstTokenId: expected[0],
      maxTokens: MAX_TOKENS,
      sampling: GREEDY,
    });
    expect(tokensOf(chunks)).toEqual(expected.slice(1));
    expect(await metric(decode, 'oicf_decode_checksum_failed_blocks_total', { link: 'prefill->decode' })).toBe(1);
    expect(await metric(decode, 'oicf_decode_handoff_requests_total', { outcome: 'recomputed' })).toBe(1);
  });

  it('Decode arriving before its handoff waits for the frames; bad input names the field', async () => {
    const expected = await greedy(PROMPT_D, 4);
    const decoding = runDecode(decodeClient, {
      requestId: 'req-d',
      promptTokenIds: PROMPT_D,
      numHandoffTokens: PROMPT_D.length,
      firstTokenId: expected[0],
      maxTokens: 4,
      sampling: GREEDY,
    });
    await new Promise((r) => setTimeout(r, 200));
    const pre = await unaryCall(prefillClient, 'Prefill', {
      requestId: 'req-d',
      tokenIds: PROMPT_D,
      decodeWsAddress: decode.ws,
      sampling: GREEDY,
    });
    expect(pre.firstTokenId).toBe(expected[0]);
    expect(tokensOf(await decoding)).toEqual(expected.slice(1));
    await expect(unaryCall(prefillClient, 'Prefill', { requestId: 'bad', tokenIds: [1, 300] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/token_ids\[1\]: 300 is not a token id in \[0, 259\)/),
    });
    await expect(
      runDecode(decodeClient, { requestId: 'bad', promptTokenIds: [1], maxTokens: 0 }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/max_tokens/),
    });
  });

  it('the pool control client looks up, leases and releases the blocks the prefill worker offered', async () => {
    const control = new PoolControl(pool.grpc);
    try {
      const ids = chainBlockIds(PROMPT_A, { blockTokens: BLOCK_TOKENS });
      expect((await control.lookup(ids)).numCachedBlocks).toBe(4);
      const lease = await control.lease(ids, 30, 'workers-test');
      expect([lease.leasedBlockIds, lease.missingBlockIds]).toEqual([ids, []]);
      expect(await control.release(lease.leaseId)).toBe(true);
      expect(await control.release(lease.leaseId)).toBe(false);
    } finally {
      control.close();
    }
  });

  it('local prefill takes its own cached prefix, then a peer’s blocks from kv_sources (kv.get on the decode worker)', async () => {
    // The colocated worker holds A's 4 blocks from its own run; decode-0 holds B's 5 blocks (B's
    // 84 + 7 tokens of KV). B's block 4 (tokens 64–80) comes from decode-0 over its data plane: 16
    // tokens × 4096 = 65,536 bytes; the engine prefills the last 4 prompt tokens.
    const expected = await greedy(PROMPT_B, MAX_TOKENS);
    const peerBefore = await metric(colocated, 'oicf_decode_kv_received_bytes_total', { link: 'worker->worker' });
    const sentBefore = await metric(decode, 'oicf_decode_kv_sent_bytes_total', { link: 'worker->worker' });
    const chunks = await runDecode(colocatedClient, {
      requestId: 'req-b-peer',
      promptTokenIds: PROMPT_B,
      kvSources: [{ wsAddress: decode.ws, leaseId: '', blocks: blockRefs(PROMPT_B, 5) }],
      numHandoffTokens: 0,
      maxTokens: MAX_TOKENS,
      sampling: GREEDY,
    });
    expect(tokensOf(chunks)).toEqual(expected);
    expect(chunks[chunks.length - 1]?.usage?.numCachedPromptTokens).toBe(80);
    expect(await metric(colocated, 'oicf_decode_prefix_reused_tokens_total', { source: 'peer' })).toBe(16);
    expect(
      (await metric(colocated, 'oicf_decode_kv_received_bytes_total', { link: 'worker->worker' })) - peerBefore,
    ).toBe(16 * KV_BYTES_PER_TOKEN);
    expect((await metric(decode, 'oicf_decode_kv_sent_bytes_total', { link: 'worker->worker' })) - sentBefore).toBe(
      16 * KV_BYTES_PER_TOKEN,
    );
  });

  it('an unreachable prefix holder and a decode worker missing the assumed prefix are both recomputed', async () => {
    // The router's view is stale twice: the prefill worker is told the prefix is at a dead holder (it
    // computes all 84 tokens) and that decode-0 already holds E's first 64 tokens (it does not: it
    // computes them, then imports the 20 handed-off tokens). Tokens still equal greedy.
    const expected = await greedy(PROMPT_E, MAX_TOKENS);
    const pre = await unaryCall(prefillClient, 'Prefill', {
      requestId: 'req-e',
      tokenIds: PROMPT_E,
      cachedPrefix: [{ wsAddress: 'ws://127.0.0.1:1', leaseId: '', blocks: blockRefs(PROMPT_E, 4) }],
      decodeWsAddress: decode.ws,
      sampling: GREEDY,
      numDecodeCachedTokens: 64,
    });
    expect([pre.numCachedTokens, pre.numComputedTokens, pre.firstTokenId]).toEqual([0, 84, expected[0]]);
    expect(pre.kvBytesSent).toBe(20 * KV_BYTES_PER_TOKEN);
    const offeredBefore = await metric(decode, 'oicf_decode_kv_sent_bytes_total', { link: 'worker->pool' });
    const chunks = await runDecode(decodeClient, {
      requestId: 'req-e',
      promptTokenIds: PROMPT_E,
      numHandoffTokens: 20,
      firstTokenId: pre.firstTokenId,
      maxTokens: MAX_TOKENS,
      sampling: GREEDY,
    });
    expect(tokensOf(chunks)).toEqual(expected.slice(1));
    // On finish decode-0 keeps E's KV (84 + 7 tokens → 5 full blocks) and, in the background, offers the
    // blocks the pool lacks (all 5: the prefill worker was given no pool) → 5 × 16 × 4096 = 327,680 bytes.
    const ids = chainBlockIds(PROMPT_E, { blockTokens: BLOCK_TOKENS });
    for (let i = 0; i < 100 && (await unaryCall(poolClient, 'Lookup', { blockIds: ids })).numCachedBlocks < 5; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await unaryCall(poolClient, 'Lookup', { blockIds: ids })).numCachedBlocks).toBe(5);
    expect((await metric(decode, 'oicf_decode_kv_sent_bytes_total', { link: 'worker->pool' })) - offeredBefore).toBe(
      5 * 16 * KV_BYTES_PER_TOKEN,
    );
  });

  it('Cancel stops a running decode; the stream ends CANCELLED and a second Cancel is a value', async () => {
    const chunks: TokenChunk__Output[] = [];
    let cancelled: boolean | undefined;
    for await (const c of serverStreamCall(
      colocatedClient,
      'Decode',
      {
        requestId: 'req-long',
        promptTokenIds: PROMPT_D,
        maxTokens: 900,
        sampling: GREEDY,
      },
      { timeoutSeconds: 60 },
    )) {
      chunks.push(c);
      if (cancelled === undefined)
        cancelled = (await unaryCall(colocatedClient, 'Cancel', { requestId: 'req-long', reason: 'test' })).cancelled;
    }
    expect(cancelled).toBe(true);
    expect(chunks[chunks.length - 1]?.finishReason).toBe('FINISH_REASON_CANCELLED');
    expect(tokensOf(chunks).length).toBeLessThan(900);
    expect((await unaryCall(colocatedClient, 'Cancel', { requestId: 'req-long', reason: 'again' })).cancelled).toBe(
      false,
    );
  });

  it('classifies every step by regime on this machine and exports counted and predicted OI', async () => {
    const decodeSteps = await metric(decode, 'oicf_decode_executed_steps_total', { phase: 'decode' });
    expect(decodeSteps).toBeGreaterThan(0);
    expect(await metric(decode, 'oicf_decode_regime_steps_total', { phase: 'decode', device: 'this-machine' })).toBe(
      decodeSteps,
    );
    expect(
      await metric(prefill, 'oicf_prefill_counted_intensity_flops_per_byte', { phase: 'prefill' }),
    ).toBeGreaterThan(1);
    expect(
      await metric(prefill, 'oicf_prefill_predicted_intensity_flops_per_byte', { phase: 'prefill' }),
    ).toBeGreaterThan(1);
  });
});
