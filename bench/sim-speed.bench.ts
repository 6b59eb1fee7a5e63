// How fast the cluster twin runs (issue 12 "Must show: speed"): the whole Mooncake conversation trace
// (12,031 requests over one hour) simulated for a 16-worker cluster of Llama-3.1-70B on H100 domains
// (4 prefill + 12 decode workers, each a 4 × H100 tensor-parallel domain as `--emulate` sizes it), once per
// routing policy (prefix-aware, oicf-cost). Reports, per run: wall seconds, CPU seconds of this process
// (from /proc/self/stat, user + system), simulated seconds per wall second, events per second, and the CPU
// time per simulated request. Writes bench/results/sim-speed.{json,md}.
//
//   node --import tsx bench/sim-speed.bench.ts [--trace <file>] [--block-tokens 64] [--max-requests n]
//
// The design is built directly (as the explorer builds designs), not from a cluster.json: the local
// cluster's workers accept 8,192-token sequences, while this trace's prompts reach 126k tokens.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { POOL_TIERS } from '@oicf/core';
import { prepareTrace } from '@oicf/loadgen';
import { DEFAULT_SLO, replayJson, stringifyReport, summarizeReplay } from '@oicf/report';
import { oicfStepTimeModel, ROUTER_DEFAULTS, type SimCluster, type SimWorkerSpec, simulate } from '@oicf/sim';
import { sharedTrace } from '@oicf/traces/node';
import { emulationTarget, kvCapacityTokens } from '@oicf/worker';

// A simulation allocates many short-lived objects (a token event, a step plan): `--semi-space 64` (MiB; V8's default
// is 16) halves the scavenges. V8 sizes the young generation at start and ignores the flag set at run time, so a
// nonzero value runs this script again with `--max-semi-space-size` on node's command line. Default 0: V8's own (what
// every judged speed run through round 8 measured: their `--semi-space 64` was set at run time and had no effect).
const { values } = parseArgs({
  options: {
    trace: { type: 'string' },
    'block-tokens': { type: 'string', default: '64' },
    'max-requests': { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
    'semi-space': { type: 'string', default: '0' },
    // Only these policies (comma-separated; default both), e.g. to profile one run.
    policies: { type: 'string', default: 'prefix-aware,oicf-cost' },
    // Also write each run's replay.json (records, client timeline, summary: what `oicf simulate` writes) to
    // <records-dir>/<policy>.replay.json: what the byte-identity guard compares between two checkouts.
    'records-dir': { type: 'string' },
  },
});
const semiSpaceMiB = Number(values['semi-space']);
if (!Number.isInteger(semiSpaceMiB) || semiSpaceMiB < 0) {
  console.error(`--semi-space: a whole number of MiB ≥ 0 (0 = V8's default), got ${values['semi-space']}`);
  process.exit(2);
}
// The result records --semi-space as the young generation's size: a size given to node itself (on its command line or
// in NODE_OPTIONS) is refused, except the one this script's rerun adds.
const semiSpaceFlag = `--max-semi-space-size=${semiSpaceMiB}`;
const nodeSemiSpaceFlags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].filter((a) =>
  /^--max[-_]semi[-_]space[-_]size/.test(a),
);
if (nodeSemiSpaceFlags.some((a) => semiSpaceMiB === 0 || a !== semiSpaceFlag)) {
  console.error(
    `--semi-space ${semiSpaceMiB}: node was started with ${nodeSemiSpaceFlags.join(' ')}; ` +
      "give the young generation's size by --semi-space only (the result records it)",
  );
  process.exit(2);
}
if (semiSpaceMiB > 0 && nodeSemiSpaceFlags.length === 0) {
  const child = spawn(process.execPath, [...process.execArgv, semiSpaceFlag, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  // A signal sent to this process alone (a kill by pid, `timeout`) goes on to the rerun, which would outlive it
  // otherwise; the rerun's end is this process's: its exit code, or the signal that ended it.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of signals) process.on(s, forward);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  for (const s of signals) process.off(s, forward);
  if (signal !== null) {
    process.kill(process.pid, signal);
    setTimeout(() => process.exit(1), 1000);
    await new Promise(() => {});
  }
  process.exit(code ?? 1);
}
const blockTokens = Number(values['block-tokens']);
// Default: the shared Mooncake trace (OICF_SHARED_TRACES, else ../shared/traces beside the repository).
const traceFile = values.trace ?? sharedTrace('mooncake-fast25/conversation_trace.jsonl').path;

/** user + system CPU seconds of this process so far (/proc/self/stat fields 14, 15, in clock ticks). */
function cpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

function design(policy: string): SimCluster {
  const target = emulationTarget('llama-3.1-70b@h100', 'rdma-400g');
  const bpt = target.kvBytesPerToken; // 327,680 B: the twin counts the target's real KV bytes
  const stepTime = oicfStepTimeModel(target);
  const link = {
    bandwidthBytesPerSecond: target.link.bandwidthBytesPerSecond,
    latencySeconds: target.link.latencySeconds,
    bytesPerToken: bpt,
    sharing: 'fifo' as const,
  };
  const worker = (workerId: string, role: 'prefill' | 'decode'): SimWorkerSpec => ({
    workerId,
    role,
    kvCapacityBytes: kvCapacityTokens(target) * bpt,
    maxBatch: 64,
    maxContextTokens: 131_072,
    maxPrefillTokensPerStep: 8192,
    stepTime,
    link,
    label: `llama-3.1-70b@h100 ×${target.sharding.numDevices}`,
  });
  const paths = Object.fromEntries(
    POOL_TIERS.map((t) => [
      t.id,
      { bandwidthBytesPerSecond: t.bandwidthBytesPerSecond, latencySeconds: t.latencySeconds },
    ]),
  );
  return {
    kvBytesPerToken: bpt,
    blockTokens,
    mode: 'disaggregated',
    sessionTtlSeconds: 300,
    router: {
      policy,
      policyParams: {},
      heartbeatIntervalSeconds: ROUTER_DEFAULTS.heartbeatIntervalSeconds,
      workerTimeoutSeconds: ROUTER_DEFAULTS.workerTimeoutSeconds,
      workerDropSeconds: ROUTER_DEFAULTS.workerDropSeconds,
      priorPrefillSecondsPerToken: ROUTER_DEFAULTS.priorPrefillSecondsPerToken,
      priorDecodeStepSeconds: ROUTER_DEFAULTS.priorDecodeStepSeconds,
      leaseTtlSeconds: ROUTER_DEFAULTS.leaseTtlSeconds,
      maxPromptTokens: 131_072, // the trace's longest prompts (the router's default is 32,768)
      handoffPath: {
        bandwidthBytesPerSecond: target.link.bandwidthBytesPerSecond,
        latencySeconds: target.link.latencySeconds,
      },
      tierPaths: paths,
      learnTransferPaths: ROUTER_DEFAULTS.learnTransferPaths,
    },
    workers: [
      ...[0, 1, 2, 3].map((i) => worker(`prefill-${i}`, 'prefill')),
      ...Array.from({ length: 12 }, (_, i) => worker(`decode-${String(i).padStart(2, '0')}`, 'decode')),
    ],
    pool: {
      tiers: [
        { id: 'dram', capacityBytes: 2 ** 40, bandwidthBytesPerSecond: 63e9, latencySeconds: 2e-6, paced: false },
      ],
      policy: 'oicf',
      recompute: { modelId: 'llama-3.1-70b', deviceId: 'h100', precision: 'bf16' },
      maxLeaseTtlSeconds: 300,
      link: undefined,
    },
    host: undefined,
  };
}

const trace = await prepareTrace(
  {
    traceFile,
    format: 'auto',
    skipBadLines: false,
    window: values['max-requests'] === undefined ? undefined : { maxRequests: Number(values['max-requests']) },
    tokenScale: 1,
    tokenScaleMode: 'blocks',
    loop: 'auto',
  },
  process.cwd(),
);
if (!trace.ok) {
  console.error(`cannot read the trace: ${trace.message} (the Mooncake trace is in ../shared/traces)`);
  process.exit(1);
}

const rows: Record<string, unknown>[] = [];
const load0 = loadavg();
for (const policy of values.policies.split(',')) {
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  const { run, stats } = simulate(design(policy), { requests: trace.requests, loop: trace.loop, seed: 1 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - cpu0;
  const s = summarizeReplay(run, DEFAULT_SLO);
  if (values['records-dir'] !== undefined) {
    mkdirSync(values['records-dir'], { recursive: true });
    writeFileSync(join(values['records-dir'], `${policy}.replay.json`), stringifyReport(replayJson(run, s)));
  }
  const row = {
    policy,
    numRequests: run.records.length,
    numOk: s.byStatus.ok,
    simulatedSeconds: run.durationSeconds,
    wallSeconds: wall,
    cpuSeconds: cpu,
    simulatedSecondsPerWallSecond: run.durationSeconds / wall,
    numEvents: stats.numEvents,
    eventsPerWallSecond: stats.numEvents / wall,
    cpuMicrosecondsPerRequest: (1e6 * cpu) / run.records.length,
    ttftP50Seconds: s.ttft?.p50Seconds ?? null,
    tpotP50Seconds: s.tpot?.p50Seconds ?? null,
    prefixHitRatio: s.prefix.hitRatio,
  };
  rows.push(row);
  console.log(
    `${policy}: ${row.numRequests} requests (${row.numOk} ok), ${row.simulatedSeconds.toFixed(0)} simulated s in ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU: ${row.simulatedSecondsPerWallSecond.toFixed(0)} sim s / wall s, ${(row.eventsPerWallSecond / 1e6).toFixed(2)} M events/s, ${row.cpuMicrosecondsPerRequest.toFixed(0)} µs CPU per request`,
  );
}
const load1 = loadavg();
const result = {
  bench: 'sim-speed',
  trace: traceFile,
  blockTokens,
  design:
    '4 prefill + 12 decode workers, llama-3.1-70b@h100 ×4 each, oicf step model, rdma-400g links, 1 TiB dram pool',
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    loadAverage1mBefore: load0[0],
    loadAverage1mAfter: load1[0],
  },
  command: `node --import tsx bench/sim-speed.bench.ts --block-tokens ${blockTokens}${values['max-requests'] ? ` --max-requests ${values['max-requests']}` : ''} --semi-space ${semiSpaceMiB}`,
  youngGenerationMiB: semiSpaceMiB > 0 ? semiSpaceMiB : 'V8 default',
  goal: '≤ 10 s wall per run for the whole trace',
  runs: rows,
};
mkdirSync(values.out, { recursive: true });
const name = `sim-speed${blockTokens === 64 ? '' : `-bt${blockTokens}`}`;
writeFileSync(join(values.out, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
const md = [
  `# Twin speed: ${result.design}`,
  '',
  `- trace: \`${traceFile}\`, block size ${blockTokens} tokens; load average (1 min) ${load0[0]?.toFixed(2)} before, ${load1[0]?.toFixed(2)} after, ${result.machine.cpus} cores`,
  `- command: \`${result.command}\``,
  '',
  '| policy | requests | simulated s | wall s | CPU s | sim s / wall s | events | M events / s | CPU µs / request |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.policy} | ${r.numRequests} | ${(r.simulatedSeconds as number).toFixed(0)} | ${(r.wallSeconds as number).toFixed(2)} | ${(r.cpuSeconds as number).toFixed(2)} | ${(r.simulatedSecondsPerWallSecond as number).toFixed(0)} | ${r.numEvents} | ${((r.eventsPerWallSecond as number) / 1e6).toFixed(2)} | ${(r.cpuMicrosecondsPerRequest as number).toFixed(0)} |`,
  ),
  '',
].join('\n');
writeFileSync(join(values.out, `${name}.md`), md);
console.log(`wrote ${join(values.out, `${name}.json`)} and .md`);
