// End-to-end output tokens/s of the local cluster (router + prefill + decode workers + pool, each its
// own process, over gRPC and WebSocket) vs one in-process runner of the same model driving the same
// engine, on the same requests, measured side by side in one run. A script, not a test:
//   node --import tsx bench/cluster-throughput.bench.ts [--requests 32] [--concurrency 16] [--out-tokens 64]
// Writes bench/results/cluster-throughput.{json,md}.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchCluster, parseClusterConfig } from '@oicf/cluster';
import { Engine } from '@oicf/engine';
import { KernelRunner } from '@oicf/kernels';
import { KernelStepRunner, modelSetup, workerSampler } from '@oicf/worker';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '32' },
    concurrency: { type: 'string', default: '16' },
    'prompt-tokens': { type: 'string', default: '128' },
    'out-tokens': { type: 'string', default: '64' },
  },
});
const NUM_REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const PROMPT_TOKENS = Number(values['prompt-tokens']);
const OUT_TOKENS = Number(values['out-tokens']);
const MODEL = 'tiny-gqa';
const SEED = 1;

/** Distinct prompts (no shared prefix beyond the first byte), as byte-level token ids. */
function prompt(i: number): number[] {
  let x = (i + 1) * 2654435761;
  return Array.from({ length: PROMPT_TOKENS }, () => {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    return 32 + (x % 95);
  });
}

async function inProcess(): Promise<{ seconds: number; tokens: number }> {
  const setup = modelSetup(MODEL, 'fp32', SEED, 4096);
  const runner = new KernelRunner({ config: setup.config, intraOpNumThreads: cpus().length });
  const stepRunner = new KernelStepRunner(runner, { defaultMaxTokens: PROMPT_TOKENS + OUT_TOKENS });
  let tokens = 0;
  let done = 0;
  const engine = new Engine(
    {
      kvBytesCapacity: 1 << 30,
      kvBytesPerToken: setup.kvBytesPerToken,
      maxBatch: CONCURRENCY,
      maxPrefillTokensPerStep: 512,
    },
    stepRunner,
    workerSampler,
    {
      onToken: () => {
        tokens += 1;
      },
      onFinish: () => {
        done += 1;
      },
    },
  );
  // Warm the graphs (prefill and every decode batch size) outside the timed region.
  await runner.warm(Array.from({ length: CONCURRENCY }, (_, i) => i + 1));
  const start = performance.now();
  for (let i = 0; i < NUM_REQUESTS; i++) {
    engine.add({
      seqId: `r${i}`,
      promptTokenIds: prompt(i),
      numPresentTokens: 0,
      maxTokens: OUT_TOKENS,
      stopTokenIds: [],
      sampling: { temperature: 0, seed: 0 },
    });
  }
  while (engine.hasWork) await engine.step();
  const seconds = (performance.now() - start) / 1000;
  await runner.close();
  if (done !== NUM_REQUESTS) throw new Error(`in-process run finished ${done} of ${NUM_REQUESTS}`);
  return { seconds, tokens };
}

async function viaCluster(): Promise<{ seconds: number; tokens: number; config: unknown }> {
  const parsed = parseClusterConfig({ router: { policy: 'least-loaded' }, decode: { maxBatch: CONCURRENCY } });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const cluster = await launchCluster(parsed.value, { runDir: mkdtempSync(join(tmpdir(), 'oicf-bench-')) });
  try {
    const send = async (i: number) => {
      const res = await fetch(`${cluster.routerUrl}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: MODEL,
          prompt: prompt(i),
          max_tokens: OUT_TOKENS,
          temperature: 0,
          ignore_eos: true,
        }),
      });
      if (!res.ok) throw new Error(`request ${i}: HTTP ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { usage: { completion_tokens: number } };
      return body.usage.completion_tokens;
    };
    for (let i = 0; i < 4; i++) await send(1000 + i); // warm every worker's graphs
    let next = 0;
    let tokens = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < NUM_REQUESTS) {
          const n = await send(next++);
          tokens += n; // after the await: `tokens += await …` would read tokens before it
        }
      }),
    );
    return { seconds: (performance.now() - start) / 1000, tokens, config: parsed.value };
  } finally {
    await cluster.stop();
  }
}

const local = await inProcess();
const cluster = await viaCluster();
const localRate = local.tokens / local.seconds;
const clusterRate = cluster.tokens / cluster.seconds;
const result = {
  benchmark: 'cluster-throughput',
  at: new Date().toISOString(),
  machine: { cpus: cpus().length },
  workload: {
    model: MODEL,
    numRequests: NUM_REQUESTS,
    concurrency: CONCURRENCY,
    promptTokens: PROMPT_TOKENS,
    outputTokens: OUT_TOKENS,
  },
  inProcess: { seconds: local.seconds, outputTokens: local.tokens, tokensPerSecond: localRate },
  cluster: { seconds: cluster.seconds, outputTokens: cluster.tokens, tokensPerSecond: clusterRate },
  ratioClusterToInProcess: clusterRate / localRate,
};
const here = new URL('.', import.meta.url).pathname;
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'cluster-throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
const md = `# Cluster vs in-process throughput

${NUM_REQUESTS} requests of ${PROMPT_TOKENS} prompt + ${OUT_TOKENS} output tokens (${MODEL}, fp32, greedy), ${CONCURRENCY} in flight, on ${cpus().length} cores.

| run | seconds | output tokens | tokens/s |
| --- | ---: | ---: | ---: |
| in-process engine + runner | ${local.seconds.toFixed(2)} | ${local.tokens} | ${localRate.toFixed(1)} |
| cluster (router, 2 prefill, 2 decode, pool) | ${cluster.seconds.toFixed(2)} | ${cluster.tokens} | ${clusterRate.toFixed(1)} |

Ratio cluster ÷ in-process: **${(clusterRate / localRate).toFixed(2)}**. The cluster's processes share the same ${cpus().length} cores, so it pays for every process boundary (HTTP, gRPC, KV handoff over WebSocket) without gaining hardware.
`;
writeFileSync(join(here, 'results', 'cluster-throughput.md'), md);
process.stdout.write(md);
