// The workers' measured loop and handoff series at a real run's end (round 6, issue 12): what the decode
// loop's thread did between steps (oicf_decode_loop_flush_seconds, oicf_decode_loop_turn_seconds, by phase
// and batch), a remote sequence's wait for its first step (oicf_decode_first_step_wait_seconds), the
// main-thread seconds of handoff receipts and KV imports, the steps themselves and the decode workers'
// anchors (TTFT, inter-token, queue); since round 7 each worker's process CPU by part of its loop
// (oicf_*_loop_cpu_seconds, oicf_*_loop_wall_seconds), its emulation pacing series, and the process's own
// user/system CPU, resident memory and GC time (prom-client's default series). Scraped once, before the cluster stops; kept beside the run as
// worker-metrics.json so the twin's model of those mechanisms can be measured from the fitting window.
import { parsePrometheusText } from '@oicf/metrics/prometheus-text';

export interface WorkerMetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The series kept: the decode loop's and handoff's measured figures, the step histograms, the decode anchors. */
export const KEPT_SERIES =
  /^(oicf_decode_(loop_flush|loop_turn|first_step_wait|main_thread_work|step_seconds|kv_transfer_seconds|time_to_first_token|inter_token|request_queue)|oicf_prefill_(step_seconds|kv_transfer_seconds)|oicf_(decode|prefill)_(loop_cpu|loop_wall|loop_part|emulation_|step_tokens)|process_cpu_(user|system)_seconds_total|process_resident_memory_bytes|nodejs_gc_duration_seconds_(sum|count)|nodejs_external_memory_bytes)/;

export async function scrapeWorkerMetrics(
  targets: readonly { name: string; url: string }[],
): Promise<Record<string, WorkerMetricSample[]>> {
  const out: Record<string, WorkerMetricSample[]> = {};
  await Promise.all(
    targets.map(async (t) => {
      try {
        const res = await fetch(t.url);
        if (!res.ok) return;
        const kept = parsePrometheusText(await res.text()).samples.filter((s) => KEPT_SERIES.test(s.name));
        if (kept.length > 0) out[t.name] = kept.map((s) => ({ name: s.name, labels: { ...s.labels }, value: s.value }));
      } catch {
        // A worker that does not answer leaves no series (the run is still usable for the rest).
      }
    }),
  );
  return out;
}

/** Sum and count of a histogram's series matching `labels` over all workers whose name starts with `prefix`. */
export function histogramTotals(
  byWorker: Readonly<Record<string, readonly WorkerMetricSample[]>>,
  prefix: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const [worker, samples] of Object.entries(byWorker)) {
    if (!worker.startsWith(prefix)) continue;
    for (const s of samples) {
      if (!Object.entries(labels).every(([k, v]) => s.labels[k] === v)) continue;
      if (s.name === `${name}_sum`) sum += s.value;
      else if (s.name === `${name}_count`) count += s.value;
    }
  }
  return { sum, count };
}
