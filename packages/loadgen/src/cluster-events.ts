import type { ClusterEvent, ClusterEvents } from '@oicf/report';

/**
 * The router's worker events during a replay (GET /v1/oicf/events: registrations, heartbeat timeouts,
 * failed calls, recoveries, drops, with wall-clock times). `start` asks where the log stands before the run;
 * `collect` asks for what came after, with times relative to the replay's start. A router that does not
 * serve the endpoint (an older build, another server) gives null: the report then says so.
 */
export class ClusterEventsReader {
  private afterSeq: number | null = null;

  constructor(
    private readonly routerUrl: string,
    private readonly fetchJson: (url: string) => Promise<unknown> = getJson,
  ) {}

  async start(): Promise<void> {
    const page = asPage(await this.fetchJson(`${this.routerUrl}/v1/oicf/events?after=${Number.MAX_SAFE_INTEGER}`));
    this.afterSeq = page?.lastSeq ?? null;
  }

  /** Events since `start`; `startUnixMs` is the replay's start on the wall clock. */
  async collect(startUnixMs: number): Promise<ClusterEvents | null> {
    if (this.afterSeq === null) return null;
    const page = asPage(await this.fetchJson(`${this.routerUrl}/v1/oicf/events?after=${this.afterSeq}`));
    if (page === null) return null;
    const events: ClusterEvent[] = page.events.map((e) => ({
      atSeconds: (e.atUnixMs - startUnixMs) / 1000,
      workerId: e.workerId,
      kind: e.kind,
      detail: e.detail,
    }));
    return { events, numDropped: page.numDropped };
  }
}

interface EventsPage {
  readonly events: readonly { atUnixMs: number; workerId: string; kind: string; detail: string }[];
  readonly lastSeq: number;
  readonly numDropped: number;
}

function asPage(body: unknown): EventsPage | null {
  const b = body as Partial<EventsPage> | null;
  if (b === null || typeof b !== 'object' || !Array.isArray(b.events) || typeof b.lastSeq !== 'number') return null;
  const events = b.events.filter(
    (e) => typeof e?.atUnixMs === 'number' && typeof e.workerId === 'string' && typeof e.kind === 'string',
  );
  return {
    events: events.map((e) => ({ ...e, detail: String(e.detail ?? '') })),
    lastSeq: b.lastSeq,
    numDropped: Number(b.numDropped ?? 0),
  };
}

async function getJson(url: string): Promise<unknown> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (res.ok) return await res.json();
    await res.body?.cancel(); // frees the connection for the requests that follow
    return null;
  } catch {
    return null;
  }
}
