// The markdown summary kv-pool.bench.ts writes next to its JSON result.

export interface ReportRow {
  blockBytes: number;
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
  method: {
    totalBytesPerMeasurement: number;
    requestsInFlight: number;
    rounds: number;
    poolNodeFlags: readonly string[];
  };
  goalMet: boolean;
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
    '# kv-pool data plane vs Redis vs raw TCP',
    '',
    `${head.date}, ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}. Loopback; each server its own process,`,
    `one client process; ${method.totalBytesPerMeasurement / 2 ** 20} MiB per measurement, ${method.requestsInFlight} requests in flight, ` +
      `${method.rounds} rounds; pool run with ${method.poolNodeFlags.join(' ') || 'no Node flags'}.`,
    'Throughput = 2 × bytes ÷ (put seconds + get seconds), median of rounds; ratios are medians of per-round ratios.',
    'The pool side includes XXH32 on the client put, on receipt by the pool and on the client get (dram reads do not re-hash).',
    '',
    '| block | pool GB/s | Redis GB/s | raw TCP GB/s | pool ÷ Redis | pool ÷ raw |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${kib(r.blockBytes)} | ${f(r.poolGBps)} | ${f(r.redisGBps)} | ${f(r.rawGBps)} | ${f(r.poolOverRedis)} | ${f(r.poolOverRaw)} |`,
    ),
    '',
    'CPU per byte moved, server + client process (ns/B, median of rounds; wall time is shared with other load, CPU time less so):',
    '',
    '| block | pool | Redis | raw TCP |',
    '| ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${kib(r.blockBytes)} | ${cpu(r, 'pool')} | ${cpu(r, 'redis')} | ${cpu(r, 'raw')} |`),
    '',
    `Goal (≥ 1.5× Redis and ≥ 50 % of raw for blocks ≥ 256 KiB): ${head.goalMet ? 'met' : 'not met'}` +
      ` (≥ 50 % of raw: ${head.rawGoalMet ? 'met' : 'not met'}).`,
    '',
  ].join('\n');
}
