/**
 * `oicf cluster status`'s compact view of the router's workers (GET /v1/oicf/workers; `--json` keeps
 * the raw form). Untrusted JSON: a missing field prints as '-', never throws.
 */

interface WorkerJson {
  worker_id?: unknown;
  role?: unknown;
  healthy?: unknown;
  capacity?: { kv_capacity_bytes?: unknown } | null;
  load?: {
    num_running_sequences?: unknown;
    num_waiting_sequences?: unknown;
    kv_used_bytes?: unknown;
    kv_capacity_bytes?: unknown;
  } | null;
}

const HEADER = ['worker', 'role', 'healthy', 'running/waiting', 'KV used/capacity'] as const;

/** One header row and one row per worker, columns padded to their widest cell. */
export function workersTable(body: unknown): string {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return 'router workers: (unavailable)\n';
  if (data.length === 0) return 'router workers: none registered\n';
  const rows = (data as WorkerJson[]).map((w) => {
    const load = w.load ?? null;
    const kvCapacity = num(load?.kv_capacity_bytes) ?? num(w.capacity?.kv_capacity_bytes);
    return [
      typeof w.worker_id === 'string' ? w.worker_id : '-',
      typeof w.role === 'string' ? w.role : '-',
      w.healthy === true ? 'yes' : w.healthy === false ? 'no' : '-',
      load ? `${show(num(load.num_running_sequences))}/${show(num(load.num_waiting_sequences))}` : '-',
      `${bytes(load ? num(load.kv_used_bytes) : undefined)}/${bytes(kvCapacity)}`,
    ];
  });
  const all = [[...HEADER], ...rows];
  const widths = HEADER.map((_, c) => Math.max(...all.map((r) => (r[c] as string).length)));
  const lines = all.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c] as number))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function show(v: number | undefined): string {
  return v === undefined ? '-' : String(v);
}

/** Binary units with one decimal (1,572,864 B → "1.5 MiB"); below 1 KiB in bytes. */
export function bytes(v: number | undefined): string {
  if (v === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = v;
  let u = 0;
  while (value >= 1024 && u < units.length - 1) {
    value /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${value.toFixed(1)} ${units[u]}`;
}
