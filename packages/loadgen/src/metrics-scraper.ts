import { parsePrometheusText } from '@oicf/metrics/prometheus-text';
import { filterSnapshot, type MetricsSnapshot, type ScrapeResult, type ScrapeTarget } from '@oicf/report';
import type { Clock } from '@oicf/transport';
import { trimSlash } from './http-target.js';

/**
 * Scrapes the cluster's `/metrics` endpoints: once before and once after a run (every series the
 * report reads), and about every second during it (only the timeline gauges, to keep it cheap). A
 * target that fails is recorded with its error and the run goes on: metrics are optional.
 */
export type FetchText = (url: string, signal: AbortSignal) => Promise<string>;

export const fetchText: FetchText = async (url, signal) => {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
};

export interface ScrapeOptions {
  readonly fetchText?: FetchText;
  /** Per-target timeout, seconds (default 2). */
  readonly timeoutSeconds?: number;
}

/** Scrapes every target at once; `atSeconds` labels the snapshot (seconds since the replay start). */
export async function scrapeTargets(
  targets: readonly ScrapeTarget[],
  atSeconds: number,
  names: ReadonlySet<string>,
  options: ScrapeOptions = {},
): Promise<MetricsSnapshot> {
  const get = options.fetchText ?? fetchText;
  const timeoutMs = (options.timeoutSeconds ?? 2) * 1000;
  const results = await Promise.all(
    targets.map(async (target): Promise<ScrapeResult> => {
      try {
        const parsed = parsePrometheusText(await get(target.url, AbortSignal.timeout(timeoutMs)));
        return { target, ok: true, samples: parsed.samples, declared: [...parsed.types.keys()] };
      } catch (err) {
        return { target, ok: false, error: errorText(err), samples: [] };
      }
    }),
  );
  return filterSnapshot({ atSeconds, results }, names);
}

/**
 * Scrapes every `intervalSeconds` on `clock` from `start()` until `stop()`, which resolves with the
 * snapshots taken (times relative to `originSeconds`, the clock reading at the replay start).
 */
export class PeriodicScraper {
  private readonly snapshots: MetricsSnapshot[] = [];
  private readonly stopper = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly targets: readonly ScrapeTarget[],
    private readonly names: ReadonlySet<string>,
    private readonly clock: Clock,
    private readonly originSeconds: number,
    private readonly intervalSeconds: number,
    private readonly options: ScrapeOptions = {},
  ) {}

  start(): void {
    if (this.targets.length === 0 || this.loop !== undefined) return;
    this.loop = (async () => {
      while (!this.stopper.signal.aborted) {
        const at = this.clock.nowSeconds() - this.originSeconds;
        this.snapshots.push(await scrapeTargets(this.targets, at, this.names, this.options));
        try {
          await this.clock.sleep(this.intervalSeconds, this.stopper.signal);
        } catch {
          return;
        }
      }
    })();
  }

  async stop(): Promise<MetricsSnapshot[]> {
    this.stopper.abort();
    await this.loop;
    return this.snapshots;
  }
}

/**
 * The scrape targets of a router given by URL: the router itself, every worker its registry
 * (`GET /v1/oicf/workers`) lists with an HTTP address, and any extra URLs given with --metrics-url.
 * Duplicates (by URL) are dropped. Returns notes on what could not be discovered, and the registry's
 * answer itself (`undefined` when it could not be read) for the other questions replay asks of it.
 */
export async function discoverScrapeTargets(
  routerUrl: string,
  extraUrls: readonly string[],
): Promise<{ targets: ScrapeTarget[]; notes: string[]; registry: unknown }> {
  const base = trimSlash(routerUrl);
  const targets: ScrapeTarget[] = [{ name: 'router', url: `${base}/metrics` }];
  const notes: string[] = [];
  let registry: unknown;
  try {
    const response = await fetch(`${base}/v1/oicf/workers`, { signal: AbortSignal.timeout(2000) });
    if (response.ok) {
      const body: unknown = await response.json();
      registry = body;
      const workers = workerScrapeTargets(body);
      targets.push(...workers);
      const pool = poolScrapeTarget(body);
      if (pool !== undefined) targets.push(pool);
      const listed = workerList(body)?.length ?? 0;
      if (listed > workers.length) {
        notes.push(
          `the router lists ${listed} worker(s), ${listed - workers.length} without an HTTP address; pass their /metrics URLs with --metrics-url`,
        );
      }
    } else notes.push(`GET /v1/oicf/workers answered HTTP ${response.status}; scraping the router only`);
  } catch (err) {
    notes.push(`GET /v1/oicf/workers failed (${errorText(err)}); scraping the router only`);
  }
  for (const url of extraUrls) targets.push({ name: hostOf(url), url });
  const seen = new Set<string>();
  return { targets: targets.filter((t) => !seen.has(t.url) && seen.add(t.url)), notes, registry };
}

/**
 * Reads the worker registry leniently (its exact shape is the router's to settle): an array, or an
 * object holding one under `workers` or `data`; per worker an id (`id`, `worker_id`, `workerId`)
 * and either a metrics URL (`metrics_url`, `metricsUrl`) or an HTTP address (`http_url`, `httpUrl`,
 * `http_address`, `httpAddress`, `http`, `endpoints.http`) to which `/metrics` is appended. Workers
 * without an HTTP address are skipped.
 */
export function workerScrapeTargets(body: unknown): ScrapeTarget[] {
  const list = workerList(body);
  if (list === undefined) return [];
  const out: ScrapeTarget[] = [];
  list.forEach((item, i) => {
    if (typeof item !== 'object' || item === null) return;
    const w = item as Record<string, unknown>;
    const endpoints = (typeof w.endpoints === 'object' && w.endpoints !== null ? w.endpoints : {}) as Record<
      string,
      unknown
    >;
    const name = firstString(w.id, w.worker_id, w.workerId) ?? `worker-${i}`;
    const metrics = firstString(w.metrics_url, w.metricsUrl);
    const http = firstString(w.http_url, w.httpUrl, w.http_address, w.httpAddress, w.http, endpoints.http);
    if (metrics !== undefined) out.push({ name, url: withScheme(metrics) });
    else if (http !== undefined) out.push({ name, url: `${trimSlash(withScheme(http))}/metrics` });
  });
  return out;
}

/** The pool the router lists beside its workers (`pool.http_address`), when it has one. */
export function poolScrapeTarget(body: unknown): ScrapeTarget | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const pool = (body as Record<string, unknown>).pool;
  if (typeof pool !== 'object' || pool === null) return undefined;
  const http = firstString((pool as Record<string, unknown>).http_address);
  return http === undefined ? undefined : { name: 'kv-pool', url: `${trimSlash(withScheme(http))}/metrics` };
}

function workerList(body: unknown): unknown[] | undefined {
  const list = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null
      ? ((body as Record<string, unknown>).workers ?? (body as Record<string, unknown>).data)
      : undefined;
  return Array.isArray(list) ? list : undefined;
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

function withScheme(address: string): string {
  return /^https?:\/\//.test(address) ? address : `http://${address}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
