// Prometheus service discovery for oicf services: the target groups of Prometheus' `file_sd` files and
// `http_sd` answers (the same JSON: a list of { targets: ["host:port"], labels }). One label scheme for both
// writers (`oicf cluster up`'s file, the router's GET /v1/oicf/sd), so a query reads the same labels
// whichever way Prometheus found the target:
//   service    the service's name in the cluster: router, kv-pool, prefill-0, decode-1, …
//   role       router | kv-pool | prefill | decode | both (a colocated worker)
//   worker_id  workers only: the id it registered with (equal to its service name under `cluster up`)
//   cluster    optional: which cluster wrote it (`cluster up`'s run directory)
// Labels starting with `__` are Prometheus' own; none is set here (metrics path is the default /metrics).

export type ScrapeRole = 'router' | 'kv-pool' | 'prefill' | 'decode' | 'both';

export interface ScrapeTarget {
  /** `http://host:port` of the service's HTTP port (where /metrics is), or `host:port`. */
  readonly address: string;
  readonly service: string;
  readonly role: ScrapeRole;
  readonly workerId?: string;
  readonly cluster?: string;
}

export interface ScrapeTargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** One target group per service, in the order given. Address without scheme or path, as Prometheus wants. */
export function scrapeTargetGroups(targets: readonly ScrapeTarget[]): ScrapeTargetGroup[] {
  return targets.map((t) => ({
    targets: [hostPort(t.address)],
    labels: {
      service: t.service,
      role: t.role,
      ...(t.workerId !== undefined ? { worker_id: t.workerId } : {}),
      ...(t.cluster !== undefined ? { cluster: t.cluster } : {}),
    },
  }));
}

/** `http://127.0.0.1:8080/x` → `127.0.0.1:8080`; `[::1]:80` and bare `host:port` pass through. */
export function hostPort(address: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(address) ? address : `http://${address}`;
  const url = new URL(withScheme);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}
