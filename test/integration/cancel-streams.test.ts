// Cancelling many streams mid-flight frees every decode worker's KV (issue 11): 100 streamed completions
// through a real cluster (router, two real decode workers running the tiny model, the pool), all held by the
// decode workers at once (in their batch, holding KV, or queued for it), then every client disconnects. Each
// cancel travels router → worker over the request plane; the workers must end every sequence as aborted and
// report, on their /metrics, no running or waiting request, no KV in use and no KV handoff left buffered.
// Colocated: the decode workers prefill the prompts themselves, in batched engine steps, where one prefill
// worker would take them one at a time (minutes on a loaded 2-core machine, which is not what this test is
// about). It cancels once all 100 are on the workers, not once all have a token: a worker builds a kernel
// for each new batch size, which on a loaded machine can take longer than the router's idle limit.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchCluster, parseClusterConfig, type RunningCluster } from '@oicf/cluster';
import { type ANCHORS, anchorName } from '@oicf/metrics';
import { type PromSample, parsePrometheusText, sumSamples } from '@oicf/metrics/prometheus-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NUM_STREAMS = 100;
// 2 decode workers × 64 batch slots ≥ 100: every stream can be running (in the batch, holding KV) at once.
const DECODE_WORKERS = 2;
const MAX_BATCH = 64;

let cluster: RunningCluster;
beforeAll(async () => {
  const parsed = parseClusterConfig({
    mode: 'colocated',
    decode: { count: DECODE_WORKERS, maxBatch: MAX_BATCH },
    // Least-loaded spreads the streams over both workers and never rejects for a predicted SLO.
    router: { policy: 'least-loaded' },
    logLevel: 'warn',
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  cluster = await launchCluster(parsed.value, { runDir: mkdtempSync(join(tmpdir(), 'oicf-cancel-')) });
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
});

/**
 * A decode worker's value of one anchor. A worker exports it under the oicf name, the vLLM name or both
 * (`metricNames`, default both, where the two carry the same value): read the oicf name when present, else
 * the vLLM one, never their sum.
 */
function anchor(
  samples: readonly PromSample[],
  key: keyof typeof ANCHORS,
  labels: Record<string, string> = {},
): number {
  const oicf = anchorName(key, 'oicf', 'decode');
  const name = samples.some((s) => s.name === oicf) ? oicf : anchorName(key, 'vllm', 'decode');
  return sumSamples(samples, name, labels);
}

async function decodeSamples(): Promise<PromSample[][]> {
  const workers = cluster.services.filter((s) => s.app === 'decode-worker');
  expect(workers).toHaveLength(DECODE_WORKERS);
  return Promise.all(
    workers.map(async (w) => parsePrometheusText(await (await fetch(`${w.endpoints.http}/metrics`)).text()).samples),
  );
}

/** Polls `cond` every 100 ms; a failed scrape (a worker busy past its keep-alive) counts as "not yet". */
async function until(what: string, seconds: number, cond: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('cancelling 100 streams mid-flight', () => {
  it('ends every sequence as aborted and leaves no KV in use on any decode worker', async () => {
    const before = await decodeSamples();
    const abortedBefore = before.reduce((n, s) => n + anchor(s, 'requestSuccess', { finished_reason: 'abort' }), 0);
    const streams = Array.from({ length: NUM_STREAMS }, async (_, i) => {
      const abort = new AbortController();
      const res = await fetch(`${cluster.routerUrl}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'tiny-gqa',
          prompt: `stream ${i}: the capacity wall of agentic decode`,
          max_tokens: 2000,
          ignore_eos: true,
          stream: true,
        }),
        signal: abort.signal,
      });
      // 200 with the SSE head: admitted, routed, and its stream open.
      expect(res.status).toBe(200);
      return { abort, reader: (res.body as ReadableStream<Uint8Array>).getReader() };
    });
    const open = await Promise.all(streams);
    // Mid-flight: all 100 on the decode workers at once (running in the batch or queued for it), some of them
    // already holding KV.
    await until('all 100 requests to be on the decode workers, some holding KV', 300, async () => {
      const samples = await decodeSamples();
      const held = samples.reduce((n, s) => n + anchor(s, 'numRequestsRunning') + anchor(s, 'numRequestsWaiting'), 0);
      return held === NUM_STREAMS && samples.some((s) => anchor(s, 'kvCacheUsageRatio') > 0);
    });

    for (const { abort, reader } of open) {
      abort.abort();
      reader.cancel().catch(() => {});
    }

    // Every worker: nothing running or waiting, no KV in use, no handoff bytes left, and 100 aborted finishes.
    await until('every decode worker to free its KV', 120, async () => {
      const samples = await decodeSamples();
      return samples.every(
        (s) =>
          anchor(s, 'numRequestsRunning') === 0 &&
          anchor(s, 'numRequestsWaiting') === 0 &&
          anchor(s, 'kvCacheUsageRatio') === 0 &&
          sumSamples(s, 'oicf_decode_handoff_buffered_bytes') === 0,
      );
    });
    const after = await decodeSamples();
    const aborted = after.reduce((n, s) => n + anchor(s, 'requestSuccess', { finished_reason: 'abort' }), 0);
    expect(aborted - abortedBefore).toBe(NUM_STREAMS);
    // Both workers took part (least-loaded), so "every worker" is more than one.
    for (const s of after) expect(anchor(s, 'requestSuccess', { finished_reason: 'abort' })).toBeGreaterThan(0);
    // And the router holds nothing in flight for them.
    const router = parsePrometheusText(await (await fetch(`${cluster.routerUrl}/metrics`)).text()).samples;
    expect(
      sumSamples(router, anchorName('numRequestsRunning', 'oicf', 'router')) +
        sumSamples(router, anchorName('numRequestsRunning', 'vllm', 'router')),
    ).toBe(0);
  }, 600_000);
});
