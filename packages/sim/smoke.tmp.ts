import { POOL_TIERS } from '@oicf/core';
import { prepareTrace } from '@oicf/loadgen';
import { DEFAULT_SLO, summarizeReplay } from '@oicf/report';
import { emulationTarget, kvCapacityTokens } from '@oicf/worker';
import { oicfStepTimeModel, ROUTER_DEFAULTS, type SimCluster, simulate } from './src/index.js';

const target = emulationTarget('llama-3.1-70b@h100', 'rdma-400g');
const model = oicfStepTimeModel(target);
const bpt = target.kvBytesPerToken;
const cap = kvCapacityTokens(target) * bpt;
const link = {
  bandwidthBytesPerSecond: target.link.bandwidthBytesPerSecond,
  latencySeconds: target.link.latencySeconds,
  bytesPerToken: bpt,
  sharing: 'fifo' as const,
};
const policy = process.argv[2] ?? 'prefix-aware';
const n = Number(process.argv[3] ?? 500);
const cluster: SimCluster = {
  kvBytesPerToken: bpt,
  blockTokens: 64,
  mode: 'disaggregated',
  sessionTtlSeconds: 300,
  router: {
    policy,
    policyParams: {},
    heartbeatIntervalSeconds: 0.5,
    workerTimeoutSeconds: 3,
    workerDropSeconds: 30,
    priorPrefillSecondsPerToken: 2.5e-4,
    priorDecodeStepSeconds: 0.005,
    leaseTtlSeconds: 30,
    maxPromptTokens: 131072,
    handoffPath: { bandwidthBytesPerSecond: 50e9, latencySeconds: 2e-6 },
    tierPaths: Object.fromEntries(
      POOL_TIERS.map((t) => [
        t.id,
        { bandwidthBytesPerSecond: t.bandwidthBytesPerSecond, latencySeconds: t.latencySeconds },
      ]),
    ),
    learnTransferPaths: true,
  },
  workers: [
    ...[0, 1, 2, 3].map((i) => ({
      workerId: `prefill-${i}`,
      role: 'prefill' as const,
      kvCapacityBytes: cap,
      maxBatch: 64,
      maxContextTokens: 131072,
      maxPrefillTokensPerStep: 8192,
      stepTime: model,
      link,
      label: 'llama-3.1-70b@h100',
    })),
    ...Array.from({ length: 12 }, (_, i) => ({
      workerId: `decode-${String(i).padStart(2, '0')}`,
      role: 'decode' as const,
      kvCapacityBytes: cap,
      maxBatch: 64,
      maxContextTokens: 131072,
      maxPrefillTokensPerStep: 8192,
      stepTime: model,
      link,
      label: 'llama-3.1-70b@h100',
    })),
  ],
  pool: {
    tiers: [{ id: 'dram', capacityBytes: 2e12, bandwidthBytesPerSecond: 63e9, latencySeconds: 2e-6, paced: false }],
    policy: 'oicf',
    recompute: { modelId: 'llama-3.1-70b', deviceId: 'h100', precision: 'bf16' },
    maxLeaseTtlSeconds: 300,
    link: undefined,
  },
  host: undefined,
};
const tr = await prepareTrace(
  {
    traceFile: '/work/shared/traces/mooncake-fast25/conversation_trace.jsonl',
    format: 'auto',
    skipBadLines: false,
    window: { maxRequests: n },
    tokenScale: 1,
    tokenScaleMode: 'blocks',
    loop: 'auto',
  },
  process.cwd(),
);
if (!tr.ok) throw new Error(tr.message);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const res = simulate(cluster, { requests: tr.requests, loop: tr.loop, seed: 1 });
const cpu = process.cpuUsage(cpu0);
console.log(
  'wall',
  ((performance.now() - t0) / 1000).toFixed(2),
  's cpu',
  ((cpu.user + cpu.system) / 1e6).toFixed(2),
  'events',
  res.stats.numEvents,
  'sim s',
  res.stats.simulatedSeconds.toFixed(1),
);
const s = summarizeReplay(res.run, DEFAULT_SLO);
console.log(
  JSON.stringify(
    {
      byStatus: s.byStatus,
      ttft: s.ttft,
      tpot: s.tpot,
      thr: s.throughput,
      hit: s.prefix.hitRatio,
      rejects: s.rejectsByReason,
      errors: s.errorsByCode,
      routing: res.stats.router,
    },
    null,
    1,
  ).slice(0, 3000),
);
console.log(
  res.stats.workers
    .map((w) => `${w.workerId} busy ${(w.busyFraction * 100).toFixed(0)}% req ${w.numRequests} pre ${w.numPreemptions}`)
    .join('\n'),
);
