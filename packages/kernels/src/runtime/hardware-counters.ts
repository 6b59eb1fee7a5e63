import { spawn, spawnSync } from 'node:child_process';

/**
 * Hardware performance counters through Linux `perf stat`, an optional second measurement of
 * what a step moved: last-level-cache load misses × 64-byte lines ≈ bytes that came from DRAM,
 * which profile traffic (traffic.ts) cannot see. Optional and only for `oicf roofline --perf`:
 * services never depend on perf. Many VMs expose no PMU; then every hardware event reads
 * `<not supported>` and `probeHardwareCounters` says so.
 */
export const HARDWARE_EVENTS = [
  'cycles',
  'instructions',
  'cache-references',
  'cache-misses',
  'LLC-load-misses',
] as const;

/** Bytes per cache line on x86-64, to turn LLC misses into bytes. */
export const CACHE_LINE_BYTES = 64;

export type CounterAvailability =
  | { readonly available: true; readonly events: readonly string[] }
  | { readonly available: false; readonly reason: string };

/** `perf stat -x,` lines → event → count, or 'unsupported' for `<not supported>` / `<not counted>`. */
export function parsePerfStat(text: string): Record<string, number | 'unsupported'> {
  const out: Record<string, number | 'unsupported'> = {};
  for (const line of text.split('\n')) {
    const [value, , event] = line.split(',');
    if (event === undefined || event === '' || value === undefined) continue;
    if (value.startsWith('<')) out[event] = 'unsupported';
    else if (Number.isFinite(Number(value))) out[event] = Number(value);
  }
  return out;
}

/** Whether `perf stat` can count the hardware events here, and if not why (one sentence). */
export function probeHardwareCounters(events: readonly string[] = HARDWARE_EVENTS): CounterAvailability {
  const r = spawnSync('perf', ['stat', '-x', ',', '-e', events.join(','), 'true'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (r.error !== undefined) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      available: false,
      reason: missing
        ? 'perf is not installed (Debian: apt-get install linux-perf)'
        : `perf stat failed to start: ${r.error.message}`,
    };
  }
  const counts = parsePerfStat(r.stderr);
  const supported = events.filter((e) => typeof counts[e] === 'number');
  if (supported.length > 0) return { available: true, events: supported };
  const said = r.stderr.trim().split('\n')[0] ?? `exit ${r.status}`;
  return {
    available: false,
    reason:
      Object.keys(counts).length > 0
        ? `this host exposes no hardware counters (perf stat reads <not supported> for ${events.join(', ')}: a VM without a virtual PMU)`
        : `perf stat could not count (${said}; kernel.perf_event_paranoid may forbid it)`,
  };
}

/**
 * Counts `events` over this process while `fn` runs (perf attached by pid; the first ~50 ms after
 * attaching are waited out so the window covers fn). Returns fn's value and the counts.
 */
export async function countDuring<T>(
  events: readonly string[],
  fn: () => Promise<T>,
): Promise<{ value: T; counts: Record<string, number | 'unsupported'> }> {
  const perf = spawn('perf', ['stat', '-x', ',', '-e', events.join(','), '-p', String(process.pid)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  perf.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => perf.on('close', () => resolve()));
  await new Promise((r) => setTimeout(r, 50));
  try {
    const value = await fn();
    perf.kill('SIGINT');
    await exited;
    return { value, counts: parsePerfStat(stderr) };
  } finally {
    if (perf.exitCode === null) perf.kill('SIGKILL');
  }
}
