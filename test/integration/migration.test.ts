// Decode migration on a real cluster (issue 14.1; Dynamo's request migration): OS processes on loopback,
// launched as `oicf cluster up` does (cluster secret included), 1 prefill worker, 2 decode workers, the pool.
// A streamed completion (sampled at temperature 0.8 with a seed, so a skipped or repeated sampler draw, or a
// wrong KV, would change the tokens; EOS ignored; every token listed through `logprobs`) loses its decode worker to SIGKILL mid-stream. The client's stream must
// be the uninterrupted reference run token for token: token i of the stream is token i of the reference for
// every i (no duplicate, none missing), and the router's log says it migrated after n > 0 relayed tokens.
// When no decode worker is left to take it, the client gets a clear error after the tokens it had.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaunchedService, launchCluster, parseClusterConfig, type RunningCluster } from '@oicf/cluster';
import { parsePrometheusText, sumSamples } from '@oicf/metrics/prometheus-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** 80 byte tokens as a token-id prompt: 5 full 16-token blocks (the pool holds them once prefilled). */
const PROMPT = Array.from({ length: 80 }, (_, i) => 32 + ((i * 53 + 7) % 90));
const MAX_TOKENS = 300;
/** Sampled (temperature 0.8, seeded), EOS not a stop, every token listed with its logprob (`logprobs: 0`). */
const BODY = {
  model: 'tiny-gqa',
  prompt: PROMPT,
  max_tokens: MAX_TOKENS,
  temperature: 0.8,
  seed: 4242,
  ignore_eos: true,
  logprobs: 0,
  stream: true,
};

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
  /** Every token the client got, in order (OpenAI's `logprobs.tokens` of each chunk). */
  readonly tokens: string[];
  readonly decodeWorkerId: string;
  readonly finishReason: string;
  readonly error: string | undefined;
}

/**
 * One streamed completion; `onTokens(n)` sees the count received after each chunk (it may kill a worker). An
 * error event ends the stream: it is returned, with the tokens received before it.
 */
async function stream(onTokens: (n: number) => Promise<void> | void = () => {}): Promise<Streamed> {
  const res = await fetch(`${cluster.routerUrl}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BODY),
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const tokens: string[] = [];
  let decodeWorkerId = '';
  let finishReason = '';
  let error: string | undefined;
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const events = buffered.split('\n\n');
    buffered = events.pop() ?? '';
    for (const e of events) {
      if (!e.startsWith('data: ') || e === 'data: [DONE]') continue;
      const chunk = JSON.parse(e.slice('data: '.length));
      if (chunk.error !== undefined) error = chunk.error.message;
      const choice = chunk.choices?.[0];
      tokens.push(...(choice?.logprobs?.tokens ?? []));
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.oicf?.decode_worker_id) decodeWorkerId = chunk.oicf.decode_worker_id;
    }
    await onTokens(tokens.length);
  }
  return { tokens, decodeWorkerId, finishReason, error };
}

/** The decode worker running the one request in flight, from the workers' own gauges. */
async function servingDecodeWorker(): Promise<LaunchedService> {
  for (const s of cluster.services.filter((x) => x.app === 'decode-worker')) {
    try {
      const text = await (await fetch(`${s.endpoints.http}/metrics`)).text();
      if (sumSamples(parsePrometheusText(text).samples, 'oicf_decode_running_requests', {}) > 0) return s;
    } catch {
      // a killed one
    }
  }
  throw new Error('no decode worker is running the request');
}

/** Kills the request's decode worker once `after` tokens arrived (once). */
function killAfter(after: number) {
  const killed: LaunchedService[] = [];
  const onTokens = async (n: number) => {
    if (killed.length > 0 || n < after) return;
    const worker = await servingDecodeWorker();
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
    expect([reference.tokens.length, reference.finishReason]).toEqual([MAX_TOKENS, 'length']);
  }, 120_000);

  it('a decode worker SIGKILLed mid-stream: the stream completes on the other one, token i = reference token i', async () => {
    const kill = killAfter(30);
    const got = await stream(kill.onTokens);
    expect(kill.killed).toHaveLength(1);
    expect(got.error).toBeUndefined();
    expect(got.finishReason).toBe('length');
    // Contiguous indexes: as many tokens as the reference, and each index holds the reference's token.
    expect(got.tokens.length).toBe(MAX_TOKENS);
    const firstDiff = got.tokens.findIndex((t, i) => t !== reference.tokens[i]);
    expect(firstDiff).toBe(-1);
    const [m] = migrations();
    expect(migrations()).toHaveLength(1);
    expect(m?.from).toBe(kill.killed[0]?.name);
    // The request finished on the other decode worker (the last chunk's oicf info names it).
    expect(got.decodeWorkerId).toBe(m?.to);
    expect(m?.to).not.toBe(m?.from);
    // Mid-stream: after the 30th token arrived at the client, before the last.
    expect(m?.numRelayedTokens).toBeGreaterThanOrEqual(30);
    expect(m?.numRelayedTokens).toBeLessThan(MAX_TOKENS);
  }, 120_000);

  it('with no decode worker left to migrate to, the client gets a clear error after the tokens it had', async () => {
    const kill = killAfter(10); // the last decode worker
    const got = await stream(kill.onTokens);
    expect(kill.killed).toHaveLength(1);
    expect(got.error).toMatch(/not migrated: no other healthy decode worker has room/);
    expect(got.tokens.length).toBeGreaterThanOrEqual(10);
    expect(got.tokens).toEqual(reference.tokens.slice(0, got.tokens.length));
  }, 120_000);
});
