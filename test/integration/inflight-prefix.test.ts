// A second request arriving while a request sharing its long prefix is still prefilling (issue 16.1), on a
// real cluster (router, one prefill worker, one decode worker, the pool as OS processes): the router sees the
// prefix as pending, not held, so it routes the second request to wait for it on the first one's decode
// worker; that worker caches the first prompt's blocks when its KV lands and the second request reuses them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchCluster, parseClusterConfig, type RunningCluster } from '@oicf/cluster';
import { parsePrometheusText, sumSamples } from '@oicf/metrics/prometheus-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BT = 16;

interface Completion {
  readonly usage: { prompt_tokens: number; prompt_tokens_details?: { cached_tokens?: number } };
  readonly oicf: {
    reason: string;
    decode_worker_id: string;
    prefill_worker_id: string | null;
    predicted_ttft_seconds: number;
    ttft_seconds: number;
    num_cached_tokens: number;
  };
}

let cluster: RunningCluster;

beforeAll(async () => {
  const config = parseClusterConfig({
    blockTokens: BT,
    prefill: { count: 1 },
    decode: { count: 1, maxBatch: 8 },
    // A generous SLO: this test is about where the KV comes from, not admission under load.
    router: { policy: 'oicf-cost', policyParams: { maxLocalPrefillTokens: 64, sloTtftSeconds: 120 } },
  });
  if (!config.ok) throw new Error(config.errors.join('\n'));
  cluster = await launchCluster(config.value, { runDir: mkdtempSync(join(tmpdir(), 'oicf-inflight-')) });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

async function complete(promptTokenIds: number[]): Promise<Completion> {
  const res = await fetch(`${cluster.routerUrl}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tiny-gqa', prompt: promptTokenIds, max_tokens: 2, temperature: 0 }),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as Completion;
}

/** Σ over every service's /metrics of the series matching `name`, optionally filtered by one label. */
async function total(name: RegExp, label?: [string, string]): Promise<number> {
  let sum = 0;
  for (const url of cluster.metricsUrls) {
    const samples = parsePrometheusText(await (await fetch(url)).text()).samples.filter(
      (s) => label === undefined || s.labels[label[0]] === label[1],
    );
    sum += sumSamples(samples, name);
  }
  return sum;
}

/** The metrics URL of the cluster's one prefill worker (the service exporting prefill token counters). */
async function prefillMetricsUrl(): Promise<string> {
  for (const url of cluster.metricsUrls) {
    if ((await (await fetch(url)).text()).includes('oicf_prefill_computed_tokens_total')) return url;
  }
  throw new Error('no prefill worker among the cluster metrics URLs');
}

/** Polls the prefill worker's vllm:num_requests_running (its slot, read live at scrape) until it is busy. */
async function prefillSlotBusy(url: string, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    const text = await (await fetch(url)).text();
    if (sumSamples(parsePrometheusText(text).samples, /^vllm:num_requests_running$/) >= 1) return;
    await sleep(0.005);
  }
  throw new Error(`the prefill worker's slot did not become busy within ${timeoutSeconds} s`);
}

const tokens = (n: number, seed: number) => Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + 3) % 256);
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
const COMPUTED = /^oicf_(prefill|decode)_computed_tokens_total$/;
const RECOMPUTED = /^oicf_(prefill|decode)_recomputed_tokens_total$/;

describe('a request arriving mid-prefill of a shared prefix', () => {
  it('waits for the in-flight prefill on its decode worker: the prefix is computed once, TTFT as predicted', async () => {
    // Warm-up: a remote prefill and two short local ones teach the router both workers' prefill lines
    // (heartbeats every 0.5 s carry them), so predictions rest on measured speeds, not priors.
    const warm = await complete(tokens(1024, 1));
    await complete(tokens(40, 2));
    await complete(tokens(40, 3));
    await sleep(1.5);

    const computedBefore = await total(COMPUTED);
    const recomputedBefore = await total(RECOMPUTED);
    // A: 1,600 new tokens = 100 full blocks, prefilled remotely. B: the same 1,600 + 7, sent while A's
    // prefill runs: once the prefill worker's live gauge shows its slot busy (a timed guess from the warm-up's
    // TTFT sent B after A's prefill had ended on a loaded machine), then a short pause into the prefill (A
    // takes about 1600/1024 of the warm-up's TTFT; a tenth of that).
    const a = tokens(1600, 4);
    const b = [...a, ...tokens(7, 5)];
    const prefillUrl = await prefillMetricsUrl();
    const pendingA = complete(a);
    await prefillSlotBusy(prefillUrl, 30);
    await sleep(0.1 * warm.oicf.ttft_seconds * (1600 / 1024));
    const [ra, rb] = await Promise.all([pendingA, complete(b)]);

    // B coalesced with A's prefill: routed to A's decode worker, prefilling only what follows A's 100
    // blocks there (⌊1606/16⌋ = 100 reusable blocks = every one A computes).
    expect(ra.oicf.reason).toBe('remote-prefill');
    expect(rb.oicf).toMatchObject({
      reason: 'coalesced-inflight-prefill',
      decode_worker_id: ra.oicf.decode_worker_id,
      prefill_worker_id: null,
      num_cached_tokens: 1600,
    });
    expect(rb.usage.prompt_tokens_details?.cached_tokens).toBe(1600);
    // The decode worker found A's blocks when it looked (not a timeout, not a recompute).
    expect(await total(/^oicf_decode_prefix_wait_requests_total$/, ['outcome', 'held'])).toBe(1);

    // Computed once: A's 1,600 prompt tokens + B's 7 (counted by the workers that computed them), and
    // nothing recomputed.
    expect((await total(COMPUTED)) - computedBefore).toBe(1600 + 7);
    expect((await total(RECOMPUTED)) - recomputedBefore).toBe(0);

    // TTFT. B's prediction is (A's expected landing − B's arrival) + B's 7-token prefill on the decode
    // worker, where A lands at its predicted TTFT + one decode step of that worker (it emits A's first token
    // with its first decode step on the handed-off KV). So A's own prediction error (observed − predicted,
    // both the router's figures) carries into B's one for one, and B cannot be held closer to its own
    // prediction than A is to its. A's rests on the prefill line the prefill worker fitted from the warm-up
    // on this shared 2-core machine, whose speed moves with the load and with onnxruntime's first run at a
    // new shape: over six runs A's error ranged from −0.39 s to +0.63 s. That is this machine, not a term the
    // router leaves out (docs/metrics.md, "Predicted TTFT of a request waiting for an in-flight prefix").
    // What B's prediction adds to A's is bounded by what it leaves out: the Decode call to the decode worker,
    // that worker's import of A's 1,600 handed-off tokens and of the 1,600 cached ones into B's sequence
    // (14–63 ms each, measured), B's own 7-token prefill misprice (milliseconds), and gRPC and event-loop
    // delays on a loaded 2-core machine (hundreds of ms at a load average of 10); measured 0.05–0.37 s.
    // Hence: B's error within 1 s of A's. Recomputing instead would have cost B a whole 1,607-token prefill
    // queued behind A's on the one prefill worker (about A's whole TTFT again).
    const errA = ra.oicf.ttft_seconds - ra.oicf.predicted_ttft_seconds;
    const errB = rb.oicf.ttft_seconds - rb.oicf.predicted_ttft_seconds;
    console.log(
      `in-flight prefix: A ttft ${ra.oicf.ttft_seconds.toFixed(3)} s (predicted ${ra.oicf.predicted_ttft_seconds.toFixed(3)}), ` +
        `B ttft ${rb.oicf.ttft_seconds.toFixed(3)} s (predicted ${rb.oicf.predicted_ttft_seconds.toFixed(3)})`,
    );
    expect(Math.abs(errB - errA)).toBeLessThanOrEqual(1.0);
  }, 120_000);
});
