// One cell of an interleaved kv-pool bench run, as the pair tables and rules read it (pair-table.ts, rule-r8.ts):
// `pool-shm ÷ Redis` (the bench's median of per-round ratios, with its range) and CPU per byte moved over ALL
// rounds (pool process + client, from the run's per-round samples: Σ CPU seconds ÷ Σ 2 × 64 MiB).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Sample {
  readonly serverCpuSeconds: number;
  readonly clientCpuSeconds: number;
}
interface Row {
  readonly blockBytes: number;
  readonly shmOverRedis: number;
  readonly shmOverRedisRange: [number, number];
  readonly samples: Record<string, Sample[]>;
}
export interface Run {
  readonly loadAverage: { before: number[]; after: number[] };
  readonly method: { totalBytesPerMeasurement: number };
  readonly rows: Row[];
}

/** One cell: the ratio and CPU per byte (server, client) over all rounds of `pool-shm`. */
export interface Cell {
  readonly ratio: number;
  readonly range: [number, number];
  readonly serverNsPerByte: number;
  readonly clientNsPerByte: number;
  readonly loadBefore: number;
}

export function cellOf(run: Run, blockBytes: number): Cell | undefined {
  const row = run.rows.find((r) => r.blockBytes === blockBytes);
  const samples = row?.samples['pool-shm'];
  if (row === undefined || samples === undefined || samples.length === 0) return undefined;
  const bytes = 2 * run.method.totalBytesPerMeasurement * samples.length;
  const sum = (k: keyof Sample) => samples.reduce((s, x) => s + x[k], 0);
  return {
    ratio: row.shmOverRedis,
    range: row.shmOverRedisRange,
    serverNsPerByte: (sum('serverCpuSeconds') * 1e9) / bytes,
    clientNsPerByte: (sum('clientCpuSeconds') * 1e9) / bytes,
    loadBefore: run.loadAverage.before[0] ?? Number.NaN,
  };
}

/** `<dir>/kv-pool-<tag>-<hold>-<signed>-<side>-pair<n>.json`, or undefined when that run is missing. */
export function loadRun(
  dir: string,
  tag: string,
  hold: string,
  signed: string,
  side: string,
  pair: number,
): Run | undefined {
  const file = join(dir, `kv-pool-${tag}-${hold}-${signed}-${side}-pair${pair}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Run) : undefined;
}
