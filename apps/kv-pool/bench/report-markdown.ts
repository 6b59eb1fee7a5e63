// The markdown summary kv-pool.bench.ts writes next to its JSON result.

export interface ReportRow {
  blockBytes: number;
  shmGBps: number;
  shmOverRedis: number;
  shmOverRaw: number;
  shmOverRedisRange: [number, number];
  /** The same-host client reading gets into fresh buffers (get) rather than its reused slab (getInto). */
  shmFreshGBps: number;
  shmFreshOverRedis: number;
  shmFreshOverRedisRange: [number, number];
  poolGBps: number;
  redisGBps: number;
  rawGBps: number;
  poolOverRedis: number;
  poolOverRaw: number;
  /** Per system: CPU ns per byte moved, of the server process and of the client process. */
  cpuNanosecondsPerByte: Record<string, { server: number; client: number }>;
}

export interface ReportHead {
  date: string;
  machine: { cpus: number; cpuModel?: string | undefined; node: string };
  loadAverage: { before: number[]; after: number[] };
  method: {
    totalBytesPerMeasurement: number;
    requestsInFlight: number;
    rounds: number;
    poolNodeFlags: readonly string[];
    /** Pool with cluster credentials: keyed block digests on every put and shared-memory read. */
    signed?: boolean;
    /** KVPOOL_BENCH_GC=1: a full GC before each measurement (outside it) and at its end (inside it). */
    gcEach?: boolean;
    /** The pool's dram tier (its shared-memory arena), MiB (KVPOOL_BENCH_DRAM_MIB). */
    poolDramMiB?: number;
    /** Whether the run puts more than the pool's dram tier holds (it evicts, and puts reuse evicted pages). */
    poolFills?: boolean;
  };
  goalMet: boolean;
  stretchMet: boolean;
  rawGoalMet: boolean;
}

export function reportMarkdown(head: ReportHead, rows: readonly ReportRow[]): string {
  const f = (x: number) => x.toFixed(2);
  const kib = (n: number) => `${n / 1024} KiB`;
  const cpu = (r: ReportRow, s: string) => {
    const c = r.cpuNanosecondsPerByte[s] as { server: number; client: number };
    return `${f(c.server)} + ${f(c.client)}`;
  };
  const { machine, method } = head;
  return [
    '# kv-pool data plane (shared memory and WebSocket) vs Redis vs raw TCP',
    '',
    `${head.date}, ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}. Loopback; each server its own process,`,
    `one client process; ${method.totalBytesPerMeasurement / 2 ** 20} MiB per measurement, ${method.requestsInFlight} requests in flight, ` +
      `${method.rounds} rounds; pool run with ${method.poolNodeFlags.join(' ') || 'no Node flags'}.`,
    'Throughput = 2 × bytes ÷ (put seconds + get seconds), median of rounds; ratios are medians of per-round ratios.',
    method.signed === true
      ? "Signed (keyed digests, as in a cluster): the client computes the keyed digest on put and leaves XXH32 to the pool (checksum_from_pool; the cluster's prefill workers send the XXH32 their export computes anyway); the pool checks the digest on receipt and computes the XXH32 it keeps; a shared-memory reader checks the digest on its copy, a WebSocket reader XXH32 (dram reads do not re-hash)."
      : 'The pool side includes XXH32 on the client put, on receipt by the pool and on the client get (dram reads do not re-hash).',
    ...(method.poolDramMiB !== undefined
      ? [
          `Pool dram tier (its shared-memory arena) ${method.poolDramMiB} MiB: ,${method.poolFills === true ? 'the pool fills and evicts (LRU), so its puts reuse evicted blocks’ pages, as a serving pool at capacity does' : 'the pool never fills in this run, so every put lands in arena pages never written before'}.`,
        ]
      : []),
    ...(method.gcEach === true
      ? [
          'KVPOOL_BENCH_GC=1: a full GC before each measurement (outside its time) and one at the end of its get phase (inside its time and CPU): each system pays for collecting its own garbage, none of the previous one.',
        ]
      : []),
    '',
    `Load (/proc/loadavg 1/5/15 min): ${head.loadAverage.before.join(' ')} before, ${head.loadAverage.after.join(' ')} after.`,
    "`pool shm`: a same-host client (bytes through the pool's shared-memory arena, descriptors in frames) reading gets into a slab it reuses (getInto); `pool shm fresh`: the same client reading gets into fresh buffers (get); `pool ws`: bytes in WebSocket frames.",
    "Redis's client returns fresh buffers (it cannot read into caller memory): its side is the same for both shm rows.",
    '',
    '| block | pool shm GB/s | pool shm fresh GB/s | pool ws GB/s | Redis GB/s | raw TCP GB/s | shm ÷ Redis (min–max of rounds) | shm fresh ÷ Redis (min–max) | shm ÷ raw | ws ÷ Redis | ws ÷ raw |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${kib(r.blockBytes)} | ${f(r.shmGBps)} | ${f(r.shmFreshGBps)} | ${f(r.poolGBps)} | ${f(r.redisGBps)} | ${f(r.rawGBps)} | ` +
        `${f(r.shmOverRedis)} (${f(r.shmOverRedisRange[0])}–${f(r.shmOverRedisRange[1])}) | ` +
        `${f(r.shmFreshOverRedis)} (${f(r.shmFreshOverRedisRange[0])}–${f(r.shmFreshOverRedisRange[1])}) | ${f(r.shmOverRaw)} | ${f(r.poolOverRedis)} | ${f(r.poolOverRaw)} |`,
    ),
    '',
    'CPU per byte moved, server + client process (ns/B, median of rounds; wall time is shared with other load, CPU time less so):',
    '',
    '| block | pool shm | pool shm fresh | pool ws | Redis | raw TCP |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${kib(r.blockBytes)} | ${cpu(r, 'pool-shm')} | ${cpu(r, 'pool-shm-fresh')} | ${cpu(r, 'pool')} | ${cpu(r, 'redis')} | ${cpu(r, 'raw')} |`,
    ),
    '',
    `Goal (issue 11: same-host pool put+get ≥ 1.5× Redis for blocks ≥ 256 KiB, stretch 3×): ${head.goalMet ? 'met' : 'not met'}` +
      ` (stretch: ${head.stretchMet ? 'met' : 'not met'}; pool ws ≥ 50 % of raw: ${head.rawGoalMet ? 'met' : 'not met'}).`,
    '',
  ].join('\n');
}
