// Decode migration on a real cluster (issue 14.1; Dynamo's request migration): OS processes on loopback,
// launched as `oicf cluster up` does (cluster secret included), 1 prefill worker, 2 decode workers, the pool.
// A streamed request (sampled at temperature 0.8 with a seed, so a skipped or repeated sampler draw, or a
// wrong KV, would change the tokens) loses its decode worker to SIGKILL mid-stream. The client's stream must
// be the uninterrupted reference run token for token: token i of the stream is token i of the reference for
// every i (no duplicate, none missing), and the router's log says it migrated after n > 0 relayed tokens.
// When no decode worker is left to take it, the client gets a clear error after the tokens it had.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaunchedService, launchCluster, parseClusterConfig, type RunningCluster } from '@oicf/cluster';
import { loadProto, type RouterClient } from '@oicf/proto';
import { createGrpcClient, serverStreamCall } from '@oicf/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** 80 byte tokens: 5 full 16-token blocks (the pool holds them once prefilled). */
const PROMPT = Array.from({ length: 80 }, (_, i) => 32 + ((i * 53 + 7) % 90));
const SAMPLING = { temperature: 0.8, topP: 1, topK: 0, seed: 4242, stopTokenIds: [] };
const MAX_TOKENS = 300;

let cluster: RunningCluster;
let router: LaunchedService;

beforeAll(async () => {
  const config = parseClusterConfig({
    blockTokens: 16,
    prefill: { count: 1 },
    decode: { count: 2, kvCapacityBytes: 64 * 1024 * 1024, maxBatch: 8 },
  });
  if (!config.ok) throw new Error(config.errors.join('\n'));
  cluster = await launchCluster(config.value, { runDir: mkdtempSync(join(tmpdir(), 'oicf-migration-')) });
  router = cluster.services.find((s) => s.app === 'router') as LaunchedService;
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

interface Streamed {
  readonly ids: number[];
  readonly decodeWorkerId: string;
  readonly finishReason: string;
  readonly error: string | undefined;
}

/**
 * One streamed Router.Generate; `onTokens(n, decodeWorkerId)` sees the count received after each chunk (it
 * may kill a worker). An error ends the stream: it is returned, with the tokens received before it.
 */
async function stream(onTokens: (n: number, decodeWorkerId: string) => void = () => {}): Promise<Streamed> {
  const client: RouterClient = createGrpcClient(loadProto().Router, router.endpoints.grpc as string, { auth: null });
  const ids: number[] = [];
  let decodeWorkerId = '';
  let finishReason = '';
  let error: string | undefined;
  try {
    const req = { tokenIds: { ids: PROMPT }, maxTokens: MAX_TOKENS, sampling: SAMPLING, stream: true };
    for await (const chunk of serverStreamCall(client, 'Generate', req, { timeoutSeconds: 120 })) {
      decodeWorkerId ||= chunk.routing?.decodeWorkerId ?? '';
      ids.push(...chunk.tokenIds);
      if (chunk.finishReason !== 'FINISH_REASON_UNSPECIFIED') finishReason = chunk.finishReason;
      if (chunk.error !== null) error = chunk.error.message;
      onTokens(ids.length, decodeWorkerId);
    }
  } catch (err) {
    error = (err as Error).message;
  } finally {
    client.close();
  }
  return { ids, decodeWorkerId, finishReason, error };
}

/** Kills the request's decode worker once `after` tokens arrived (once). */
function killAfter(after: number) {
  const killed: LaunchedService[] = [];
  const onTokens = (n: number, decodeWorkerId: string) => {
    if (killed.length > 0 || n < after) return;
    const worker = cluster.services.find((s) => s.name === decodeWorkerId) as LaunchedService;
    process.kill(worker.pid, 'SIGKILL');
    killed.push(worker);
  };
  return { killed, onTokens };
}

function migrations(): Array<{ from: string; to: string; numRelayedTokens: number }> {
  return readFileSync(router.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"decode_migrated"'))
    .map((l) => JSON.parse(l));
}

describe('decode migration (real processes)', () => {
  let reference: Streamed;

  it('the reference run streams every token uninterrupted', async () => {
    reference = await stream();
    expect(reference.error).toBeUndefined();
    expect([reference.ids.length, reference.finishReason]).toEqual([MAX_TOKENS, 'FINISH_REASON_LENGTH']);
  }, 120_000);

  it('a decode worker SIGKILLed mid-stream: the stream completes on the other one, token i = reference token i', async () => {
    const kill = killAfter(30);
    const got = await stream(kill.onTokens);
    expect(kill.killed.map((s) => s.name)).toEqual([got.decodeWorkerId]);
    expect(got.error).toBeUndefined();
    expect(got.finishReason).toBe('FINISH_REASON_LENGTH');
    // Contiguous indexes: as many tokens as the reference, and each index holds the reference's token.
    expect(got.ids.length).toBe(MAX_TOKENS);
    const firstDiff = got.ids.findIndex((t, i) => t !== reference.ids[i]);
    expect(firstDiff).toBe(-1);
    const [m] = migrations();
    expect(migrations()).toHaveLength(1);
    expect(m?.from).toBe(got.decodeWorkerId);
    // Mid-stream: after the 30th token arrived at the client, before the last.
    expect(m?.numRelayedTokens).toBeGreaterThanOrEqual(30);
    expect(m?.numRelayedTokens).toBeLessThan(MAX_TOKENS);
  }, 120_000);

  it('with no decode worker left to migrate to, the client gets a clear error after the tokens it had', async () => {
    const kill = killAfter(10); // the last decode worker
    const got = await stream(kill.onTokens);
    expect(kill.killed).toHaveLength(1);
    expect(got.error).toMatch(/not migrated: no other healthy decode worker has room/);
    expect(got.ids.length).toBeGreaterThanOrEqual(10);
    expect(got.ids).toEqual(reference.ids.slice(0, got.ids.length));
  }, 120_000);
});
