// The disaggregated cluster as real OS processes on loopback: router, prefill and decode workers and
// the KV pool, launched by the same launcher `oicf cluster up` uses.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, launchCluster, parseClusterConfig, type RunningCluster } from '@oicf/cluster';
import { discoverScrapeTargets } from '@oicf/loadgen';
import { parsePrometheusText, sumSamples } from '@oicf/metrics/prometheus-text';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// tiny-gqa, fp32 KV: 4 layers × 2 (K,V) × 2 kv heads × 64 dims × 4 B = 4,096 B per token.
const KV_BYTES_PER_TOKEN = 4096;
// Decode workers hold 1 MiB of KV = 256 tokens, so a 300-token prompt can never fit.
const DECODE_KV_CAPACITY_BYTES = 256 * KV_BYTES_PER_TOKEN;

function config(mode: 'disaggregated' | 'colocated') {
  const res = parseClusterConfig({
    mode,
    blockTokens: 16,
    prefill: { count: 1 },
    decode: { count: 1, kvCapacityBytes: DECODE_KV_CAPACITY_BYTES, maxBatch: 8 },
    router: { policy: 'oicf-cost', policyParams: { maxLocalPrefillTokens: 0 } },
    pool: { tiers: { dram: { capacityBytes: 64 * 1024 * 1024 } } },
  });
  if (!res.ok) throw new Error(res.errors.join('\n'));
  return res.value;
}

const PROMPT = 'The capacity wall: agents grow long contexts, so decode is bandwidth- and capacity-bound.';

describe('disaggregated cluster', () => {
  let cluster: RunningCluster;
  let client: OpenAI;

  beforeAll(async () => {
    cluster = await launchCluster(config('disaggregated'), { runDir: mkdtempSync(join(tmpdir(), 'oicf-cluster-')) });
    client = new OpenAI({ baseURL: `${cluster.routerUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    // Shutdown leaves no process of the disaggregated cluster behind either.
    expect(cluster.services.filter((s) => isAlive(s.pid))).toEqual([]);
  });

  it("lists every worker's and the pool's metrics address, as `oicf replay --url` discovers them", async () => {
    const { targets, notes } = await discoverScrapeTargets(cluster.routerUrl, []);
    expect(notes).toEqual([]);
    // router + 1 prefill + 1 decode + pool: exactly the /metrics URLs the launcher knows.
    expect(targets.map((t) => t.url).sort()).toEqual([...cluster.metricsUrls].sort());
    expect(targets.map((t) => t.name).sort()).toEqual(['decode-0', 'kv-pool', 'prefill-0', 'router']);
  });

  it('streams a chat completion through the official openai client', async () => {
    const stream = await client.chat.completions.create({
      model: 'tiny-gqa',
      messages: [{ role: 'user', content: 'hello' }],
      max_tokens: 12,
      temperature: 0,
      stream: true,
    });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(finish);
  });

  it('a second request sharing a long prefix hits the cache and moves fewer KV bytes', async () => {
    const prefix = `${PROMPT} `.repeat(2); // ~180 tokens = 11 full 16-token blocks
    const bytesMoved = async () => {
      const texts = await Promise.all(cluster.metricsUrls.map(scrape));
      const kvBytes = /^oicf_(prefill|decode|kvpool)_kv_.*bytes.*_total$/;
      return texts.reduce((sum, t) => sum + sumSamples(parsePrometheusText(t).samples, kvBytes), 0);
    };
    const before = await bytesMoved();
    const first = await client.completions.create({
      model: 'tiny-gqa',
      prompt: `${prefix}first`,
      max_tokens: 4,
      temperature: 0,
    });
    const afterFirst = await bytesMoved();
    const second = await client.completions.create({
      model: 'tiny-gqa',
      prompt: `${prefix}second`,
      max_tokens: 4,
      temperature: 0,
    });
    const afterSecond = await bytesMoved();
    const cached = (u: unknown) =>
      (u as { prompt_tokens_details?: { cached_tokens?: number } }).prompt_tokens_details?.cached_tokens ?? 0;
    expect(cached(first.usage)).toBe(0);
    expect(cached(second.usage)).toBeGreaterThanOrEqual(11 * 16 - 16);
    expect(afterSecond - afterFirst).toBeLessThan(afterFirst - before);
  });

  it('oicf-cost answers 429 with a reason when no decode worker can hold the request', async () => {
    const res = await fetch(`${cluster.routerUrl}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-gqa', prompt: 'x'.repeat(300), max_tokens: 8 }),
    });
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('capacity');
    expect(body.error.message).toMatch(/bytes of KV/);
  });

  it('gives the same greedy tokens as a colocated cluster, and shutdown leaves no process behind', async () => {
    const ask = (c: RunningCluster) =>
      new OpenAI({ baseURL: `${c.routerUrl}/v1`, apiKey: 'unused', maxRetries: 0 }).completions.create({
        model: 'tiny-gqa',
        prompt: PROMPT,
        max_tokens: 16,
        temperature: 0,
        // @ts-expect-error vLLM-style extension
        ignore_eos: true,
      });
    const disaggregated = await ask(cluster);
    const colocated = await launchCluster(config('colocated'), {
      runDir: mkdtempSync(join(tmpdir(), 'oicf-cluster-')),
    });
    try {
      const same = await ask(colocated);
      expect(same.choices[0]?.text).toBe(disaggregated.choices[0]?.text);
      expect(same.usage?.completion_tokens).toBe(16);
    } finally {
      await colocated.stop();
    }
    expect(colocated.services.filter((s) => isAlive(s.pid))).toEqual([]);
  }, 120_000);
});

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}
