// Gauges after aborted streams (issue 14.7): 200 streaming requests on a real cluster, each aborted by its
// client once its first token arrived, in 10 waves of 20. Afterwards the decode worker's running and waiting
// requests and its KV usage are 0, and so are the router's running requests and the decode worker's
// unclaimed handoff bytes; before the fix they kept the last wave's values until the next request.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchCluster, parseClusterConfig, type RunningCluster } from '@oicf/cluster';
import { parsePrometheusText, sumSamples } from '@oicf/metrics/prometheus-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let cluster: RunningCluster;

beforeAll(async () => {
  const config = parseClusterConfig({
    blockTokens: 16,
    prefill: { count: 1 },
    decode: { count: 1, kvCapacityBytes: 64 * 1024 * 1024, maxBatch: 16 },
  });
  if (!config.ok) throw new Error(config.errors.join('\n'));
  cluster = await launchCluster(config.value, { runDir: mkdtempSync(join(tmpdir(), 'oicf-aborts-')) });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

async function gauges(url: string, names: readonly string[]): Promise<Record<string, number>> {
  const samples = parsePrometheusText(await (await fetch(`${url}/metrics`)).text()).samples;
  return Object.fromEntries(names.map((n) => [n, sumSamples(samples, n, {})]));
}

/** Starts a long streamed completion, waits for its first SSE event, then aborts it. */
async function startAndAbort(routerUrl: string, i: number): Promise<void> {
  const abort = new AbortController();
  const res = await fetch(`${routerUrl}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'tiny-gqa',
      prompt: `stream ${i} `.repeat(6),
      max_tokens: 400,
      stream: true,
      ignore_eos: true,
    }),
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  abort.abort();
  await reader.cancel().catch(() => {});
}

describe('aborted streams', () => {
  it("200 aborted streams leave the decode worker's and the router's gauges at 0", async () => {
    const decode = cluster.services.find((s) => s.name === 'decode-0')?.endpoints.http as string;
    for (let wave = 0; wave < 10; wave++) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => startAndAbort(cluster.routerUrl, wave * 20 + i)));
    }
    const names = [
      'oicf_decode_running_requests',
      'oicf_decode_waiting_requests',
      'oicf_decode_kv_cache_usage_ratio',
      'oicf_decode_handoff_buffered_bytes',
    ];
    // Cancels travel router → decode worker asynchronously: poll a little, never for a next request.
    let last: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      last = {
        ...(await gauges(decode, names)),
        ...(await gauges(cluster.routerUrl, ['oicf_router_running_requests'])),
      };
      if (Object.values(last).every((v) => v === 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(last).toEqual({
      oicf_decode_running_requests: 0,
      oicf_decode_waiting_requests: 0,
      oicf_decode_kv_cache_usage_ratio: 0,
      oicf_decode_handoff_buffered_bytes: 0,
      oicf_router_running_requests: 0,
    });
  }, 180_000);
});
