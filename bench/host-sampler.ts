// Samples what each service process of a running local cluster spent and did, every `everySeconds`, for the
// host-cost fit (@oicf/sim host-cost): the CPU seconds of every thread and of its main thread (the JavaScript
// event loop: the kernels run on onnxruntime's own threads) from /proc, and every counter the service
// exports on /metrics that the fit reads (HOST_COST_COUNTERS), per series. The load client
// (this process) is sampled too, as `client`: its main thread runs the replay driver. The whole machine's
// busy CPU (/proc/stat) is read with them, so what other processes used is known (foreign load).
import { machineBusySeconds, processCpu } from '@oicf/cluster';
import { parsePrometheusText, seriesKey } from '@oicf/metrics/prometheus-text';
import { HOST_COST_COUNTERS, type HostSample, type ProcessSample } from '@oicf/sim';

export interface SampledService {
  readonly name: string;
  readonly pid: number;
  /** The service's /metrics (undefined: CPU only). */
  readonly metricsUrl: string | undefined;
}

/** Kept beside the fit's counters to explain a run's stalls: preemptions and recomputed KV. */
const DIAGNOSTIC_COUNTERS = /^oicf_(prefill|decode)_(preempted_sequences_total|recomputed_tokens_total)/;

async function scrape(url: string | undefined): Promise<Record<string, number> | undefined> {
  const out: Record<string, number> = {};
  if (url === undefined) return out;
  try {
    const res = await fetch(url);
    if (!res.ok) return undefined;
    for (const s of parsePrometheusText(await res.text()).samples) {
      const key = seriesKey(s);
      if (HOST_COST_COUNTERS.test(key) || DIAGNOSTIC_COUNTERS.test(key)) out[key] = s.value;
    }
  } catch {
    // A scrape that fails marks the sample (the fit skips its intervals).
    return undefined;
  }
  return out;
}

async function sampleOnce(services: readonly SampledService[], t0: number): Promise<HostSample> {
  const atSeconds = (performance.now() - t0) / 1000;
  const processes: Record<string, ProcessSample> = {};
  // CPU first for every process (one instant), then the scrapes (whose own CPU lands in the next interval).
  for (const s of services) {
    const cpu = processCpu(s.pid);
    processes[s.name] = { cpuSeconds: cpu.totalSeconds, mainThreadSeconds: cpu.mainThreadSeconds, counters: {} };
  }
  const machine = machineBusySeconds();
  const self = processCpu(process.pid);
  processes.client = { cpuSeconds: self.totalSeconds, mainThreadSeconds: self.mainThreadSeconds, counters: {} };
  const scraped = await Promise.all(services.map((s) => scrape(s.metricsUrl)));
  services.forEach((s, i) => {
    const p = processes[s.name] as ProcessSample;
    const counters = scraped[i];
    processes[s.name] = counters === undefined ? { ...p, scrapeFailed: true } : { ...p, counters };
  });
  return { atSeconds, processes, ...(machine === undefined ? {} : { machineBusySeconds: machine }) };
}

/** Samples until `stop()`, which takes a last sample and returns them all in order (again on later calls). */
export function startHostSampler(
  services: readonly SampledService[],
  everySeconds: number,
): { stop(): Promise<HostSample[]> } {
  const t0 = performance.now();
  const samples: HostSample[] = [];
  let busy: Promise<void> = sampleOnce(services, t0).then((s) => {
    samples.push(s);
  });
  const timer = setInterval(() => {
    busy = busy.then(() => sampleOnce(services, t0).then((s) => void samples.push(s)));
  }, everySeconds * 1000);
  let stopped: Promise<HostSample[]> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await busy;
        samples.push(await sampleOnce(services, t0));
        return samples;
      })();
      return stopped;
    },
  };
}
