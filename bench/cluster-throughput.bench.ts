// End-to-end output tokens/s of the local cluster (router + prefill + decode workers + pool, each its own
// process run from its build, over the gRPC control plane and the WebSocket request and KV planes) vs one
// in-process runner of the same model driving the same engine, on the same requests, measured side by side
// in one run. Both sides are warmed outside the timed region the same way: the in-process runner builds its
// graph for every batch size; the cluster serves one full round of the workload first, so its decode
// workers build theirs. Beside the wall-clock ratio, the CPU seconds each process spent per output token
// (from /proc), which hold on a shared machine. A script, not a test:
//   node --import tsx bench/cluster-throughput.bench.ts [--requests 32] [--concurrency 16] [--out-tokens 64]
//        [--prompt-tokens 128] [--runs 1]
// Writes bench/results/cluster-throughput.{json,md}.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchCluster, loadAverage, parseClusterConfig, processCpu, type RunningCluster } from '@oicf/cluster';
import { Engine } from '@oicf/engine';
import { hostCpuNanos, KernelRunner } from '@oicf/kernels';
import { KernelStepRunner, modelSetup, workerSampler } from '@oicf/worker';
import { renderThroughputMarkdown, type ThroughputResult, type ThroughputRun } from './cluster-throughput-report.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '32' },
    concurrency: { type: 'string', default: '16' },
    'prompt-tokens': { type: 'string', default: '128' },
    'out-tokens': { type: 'string', default: '64' },
    runs: { type: 'string', default: '1' },
  },
});
const NUM_REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const PROMPT_TOKENS = Number(values['prompt-tokens']);
const OUT_TOKENS = Number(values['out-tokens']);
const RUNS = Number(values.runs);
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

/** Cores the host cgroup's other tasks used over a span: its CPU less `oursSeconds`, ÷ wall; null without cgroup v1. */
function otherCores(h0: number | undefined, h1: number | undefined, oursSeconds: number, wall: number): number | null {
  return h0 === undefined || h1 === undefined ? null : ((h1 - h0) / 1e9 - oursSeconds) / wall;
}

async function inProcess(): Promise<{
  seconds: number;
  tokens: number;
  cpuSeconds: number;
  otherCores: number | null;
}> {
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
  const cpu0 = processCpu(process.pid).totalSeconds;
  const h0 = hostCpuNanos();
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
  const cpuSeconds = processCpu(process.pid).totalSeconds - cpu0;
  const others = otherCores(h0, hostCpuNanos(), cpuSeconds, seconds);
  await runner.close();
  if (done !== NUM_REQUESTS) throw new Error(`in-process run finished ${done} of ${NUM_REQUESTS}`);
  return { seconds, tokens, cpuSeconds, otherCores: others };
}

/** Sends the workload (`first` … `first + NUM_REQUESTS − 1`), CONCURRENCY at a time; returns the tokens. */
async function workload(cluster: RunningCluster, first: number): Promise<number> {
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
    return ((await res.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens;
  };
  let next = 0;
  let tokens = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < NUM_REQUESTS) {
        const n = await send(first + next++);
        tokens += n; // after the await: `tokens += await …` would read tokens before it
      }
    }),
  );
  return tokens;
}

async function viaCluster(
  cluster: RunningCluster,
  round: number,
): Promise<Omit<ThroughputRun, 'inProcess' | 'run' | 'otherCores'> & { otherCores: number | null }> {
  const cpu0 = new Map(cluster.services.map((s) => [s.name, processCpu(s.pid).totalSeconds]));
  const loadBefore = loadAverage();
  const own0 = processCpu(process.pid).totalSeconds; // the client: this process
  const h0 = hostCpuNanos();
  const start = performance.now();
  // Distinct prompts per round: nothing is served from a cache of an earlier round.
  const tokens = await workload(cluster, 10_000 * round);
  const seconds = (performance.now() - start) / 1000;
  const h1 = hostCpuNanos();
  const own = processCpu(process.pid).totalSeconds - own0;
  const cpuSecondsByService = Object.fromEntries(
    cluster.services.map((s) => [s.name, processCpu(s.pid).totalSeconds - (cpu0.get(s.name) ?? 0)]),
  );
  const services = Object.values(cpuSecondsByService).reduce((a, b) => a + b, 0);
  return {
    cluster: { seconds, outputTokens: tokens, tokensPerSecond: tokens / seconds, cpuSecondsByService },
    loadBefore,
    loadAfter: loadAverage(),
    otherCores: otherCores(h0, h1, services + own, seconds),
  };
}

const parsed = parseClusterConfig({
  router: { policy: 'least-loaded' },
  decode: { maxBatch: CONCURRENCY },
  logLevel: 'warn',
});
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const runs: ThroughputRun[] = [];
for (let run = 1; run <= RUNS; run++) {
  const local = await inProcess();
  const cluster = await launchCluster(parsed.value, {
    runDir: mkdtempSync(join(tmpdir(), 'oicf-bench-')),
    // BENCH_CHILD_NODE_ARGS: extra node flags for the services (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
    nodeArgs: (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
  });
  try {
    await workload(cluster, 1_000_000 + 10_000 * run); // warm-up round: every decode batch size gets its graph
    const { otherCores: clusterOther, ...measured } = await viaCluster(cluster, run);
    runs.push({
      run,
      inProcess: {
        seconds: local.seconds,
        outputTokens: local.tokens,
        tokensPerSecond: local.tokens / local.seconds,
        cpuSeconds: local.cpuSeconds,
      },
      ...measured,
      otherCores: { inProcess: local.otherCores, cluster: clusterOther },
    });
  } finally {
    await cluster.stop();
  }
  process.stderr.write(`cluster-throughput: run ${run}/${RUNS} done\n`);
}
const result: ThroughputResult = {
  benchmark: 'cluster-throughput',
  at: new Date().toISOString(),
  command: ['node --import tsx bench/cluster-throughput.bench.ts', ...process.argv.slice(2)].join(' '),
  node: process.version,
  machine: { cpus: cpus().length },
  workload: {
    model: MODEL,
    numRequests: NUM_REQUESTS,
    concurrency: CONCURRENCY,
    promptTokens: PROMPT_TOKENS,
    outputTokens: OUT_TOKENS,
  },
  clusterShape:
    'router (least-loaded), 2 prefill workers, 2 decode workers (maxBatch = concurrency), pool; defaults otherwise',
  runs,
  goals: { ratio: { floor: 0.6, stretch: 0.8 } },
};
const here = new URL('.', import.meta.url).pathname;
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'cluster-throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
const md = renderThroughputMarkdown(result);
writeFileSync(join(here, 'results', 'cluster-throughput.md'), md);
process.stdout.write(md);
