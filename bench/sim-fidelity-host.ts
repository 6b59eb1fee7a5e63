// The fidelity bench's host-cost step (`--fit-host`): fits this machine's host-cost model from the samples
// of one real run (@oicf/sim fitHostCost) and writes it beside the step-time model; and the lines the
// results show about it.
import { loadavg } from 'node:os';
import {
  fitHostCost,
  HOST_COST_FILE_VERSION,
  type HostCostFile,
  type HostSample,
  kindOf,
  saveHostCostFile,
} from '@oicf/sim';

/** Per-transfer latency kept from the twin's DESIGN.md §7 figure: the fit reads a rate, not a latency. */
const LOOPBACK_LATENCY_SECONDS = 0.0002;

export function fitAndSave(samples: readonly HostSample[], path: string, source: string): HostCostFile {
  const fit = fitHostCost(samples);
  const file: HostCostFile = {
    version: HOST_COST_FILE_VERSION,
    fittedAtIso: new Date().toISOString(),
    source,
    loadAverage: loadavg(),
    cost: fit.cost,
    ...(fit.handoffBytesPerSecond === undefined
      ? {}
      : { kvLink: { bandwidthBytesPerSecond: fit.handoffBytesPerSecond, latencySeconds: LOOPBACK_LATENCY_SECONDS } }),
    fits: fit.fits,
  };
  saveHostCostFile(path, file);
  console.log(
    `host-cost model fitted from ${samples.length} samples (${fit.wallSeconds.toFixed(0)} s), handoff ${(fit.handoffBytes / 1e6).toFixed(1)} MB in ${fit.numHandoffs} transfers at ${fit.handoffBytesPerSecond === undefined ? 'n/a' : `${(fit.handoffBytesPerSecond / 1e6).toFixed(0)} MB/s`}; off-main-thread worker CPU ${fit.offMainCpuSeconds.prefill.toFixed(1)} s prefill, ${fit.offMainCpuSeconds.decode.toFixed(1)} s decode; saved to ${path}`,
  );
  for (const line of describeHostCost(file)) console.log(`  ${line}`);
  return file;
}

/** One line per process kind: its fitted costs, R² and the CPU it explains. */
export function describeHostCost(file: HostCostFile): string[] {
  const lines = file.fits.map((f) => {
    const terms = f.columns.map((c, j) => `${c} ${formatCost(c, f.coefficients[j] ?? 0)}`).join(', ');
    return `${f.kind}: ${terms}; R² ${f.r2.toFixed(2)} over ${f.numIntervals} intervals; main-thread CPU ${f.measuredCpuSeconds.toFixed(1)} s measured, ${f.fittedCpuSeconds.toFixed(1)} s fitted`;
  });
  if (file.kvLink !== undefined) {
    lines.push(`KV link (handoff, measured): ${(file.kvLink.bandwidthBytesPerSecond / 1e6).toFixed(0)} MB/s`);
  }
  return lines;
}

function formatCost(column: string, v: number): string {
  if (column === 'busyCores') return `${v.toFixed(3)} cores`;
  if (column.endsWith('KvByte')) return `${(v * 1e9).toFixed(2)} ns`;
  return `${(v * 1e6).toFixed(1)} µs`;
}

/** Main-thread and whole-process CPU seconds of each sampled process over a run (first → last sample). */
export function cpuByProcess(
  samples: readonly HostSample[],
): Record<string, { mainThreadSeconds: number; cpuSeconds: number; kind: string }> {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const out: Record<string, { mainThreadSeconds: number; cpuSeconds: number; kind: string }> = {};
  if (first === undefined || last === undefined) return out;
  for (const [name, p] of Object.entries(last.processes)) {
    const q = first.processes[name];
    if (q === undefined) continue;
    out[name] = {
      kind: kindOf(name) ?? 'other',
      mainThreadSeconds: p.mainThreadSeconds - q.mainThreadSeconds,
      cpuSeconds: p.cpuSeconds - q.cpuSeconds,
    };
  }
  return out;
}
