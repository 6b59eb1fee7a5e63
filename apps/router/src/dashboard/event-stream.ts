// The dashboard's live feed: GET /dashboard/events is a server-sent event stream with one JSON frame per
// tick (the snapshot of dashboard-state.ts plus its charts), GET /dashboard/snapshot the latest frame for
// pollers. One tick builds one frame for every viewer; ticks run only while someone watches.
//
// Memory stays bounded whatever the viewers do: at most MAX_VIEWERS streams (more get 503); a viewer whose
// socket has not drained the previous frame skips frames (counted) instead of queueing them, so a slow
// client holds at most one frame beyond the socket's own buffer; no per-viewer history is kept.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardCharter } from './charts.js';
import type { DashboardState, TickInput } from './dashboard-state.js';

export const MAX_VIEWERS = 8;

interface Viewer {
  readonly res: ServerResponse;
  /** False while the socket still holds the previous frame (write returned false, no 'drain' yet). */
  ready: boolean;
  numDropped: number;
}

export interface DashboardHubOptions {
  readonly state: DashboardState;
  readonly charter: DashboardCharter;
  /** Gathers one tick's inputs (router totals, worker heartbeats, pool stats). */
  readonly gather: () => Promise<TickInput>;
  readonly nowSeconds: () => number;
  readonly intervalSeconds?: number;
  readonly maxViewers?: number;
  /** Called when the last viewer leaves (close connections opened for viewers). */
  readonly onIdle?: () => void;
}

export class DashboardHub {
  private readonly viewers = new Set<Viewer>();
  private timer: NodeJS.Timeout | undefined;
  private latest: { atSeconds: number; json: string } | undefined;
  private building: Promise<string> | undefined;
  private readonly intervalSeconds: number;
  private readonly maxViewers: number;
  private readonly endAll = () => {
    for (const v of this.viewers) v.res.end();
  };

  constructor(private readonly options: DashboardHubOptions) {
    this.intervalSeconds = options.intervalSeconds ?? 1;
    this.maxViewers = options.maxViewers ?? MAX_VIEWERS;
  }

  get numViewers(): number {
    return this.viewers.size;
  }

  /** Frames skipped for slow viewers, summed over the viewers connected now. */
  get numDroppedFrames(): number {
    let n = 0;
    for (const v of this.viewers) n += v.numDropped;
    return n;
  }

  /** GET /dashboard/events. */
  subscribe(req: IncomingMessage, res: ServerResponse): void {
    if (this.viewers.size >= this.maxViewers) {
      const message = `the dashboard already has ${this.maxViewers} live viewers; close one, or poll /dashboard/snapshot`;
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
      res.end(`${JSON.stringify({ error: { code: 'RESOURCE_EXHAUSTED', message, field: null } })}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // A broken stream is retried by the browser after this many ms.
    res.write('retry: 2000\n\n');
    const viewer: Viewer = { res, ready: true, numDropped: 0 };
    res.on('drain', () => {
      viewer.ready = true;
    });
    req.once('close', () => this.leave(viewer));
    res.once('close', () => this.leave(viewer));
    this.viewers.add(viewer);
    if (this.viewers.size === 1) this.start();
    void this.frame().then((json) => this.send(viewer, json));
  }

  /** GET /dashboard/snapshot: the latest frame, rebuilt if older than one tick. */
  async snapshot(): Promise<string> {
    return this.frame();
  }

  private start(): void {
    // A SIGTERM drains the router: end the streams so draining does not wait for viewers to leave.
    process.on('SIGTERM', this.endAll);
    process.on('SIGINT', this.endAll);
    this.timer = setInterval(() => {
      void this.tick();
    }, this.intervalSeconds * 1000);
    this.timer.unref();
  }

  private leave(viewer: Viewer): void {
    if (!this.viewers.delete(viewer)) return;
    if (this.viewers.size > 0) return;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    process.off('SIGTERM', this.endAll);
    process.off('SIGINT', this.endAll);
    this.options.onIdle?.();
  }

  private async tick(): Promise<void> {
    const json = await this.frame(true);
    for (const v of this.viewers) this.send(v, json);
  }

  /** The latest frame; a new one when it is a tick old (or `fresh`), one build at a time. */
  private frame(fresh = false): Promise<string> {
    const now = this.options.nowSeconds();
    const latest = this.latest;
    if (!fresh && latest !== undefined && now - latest.atSeconds < this.intervalSeconds) {
      return Promise.resolve(latest.json);
    }
    this.building ??= this.build().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async build(): Promise<string> {
    const input = await this.options.gather();
    const snapshot = this.options.state.tick(input);
    const charts = this.options.charter.render(snapshot, this.options.state);
    const json = JSON.stringify({ ...snapshot, charts });
    this.latest = { atSeconds: input.atSeconds, json };
    return json;
  }

  private send(viewer: Viewer, json: string): void {
    if (!this.viewers.has(viewer)) return;
    if (!viewer.ready) {
      viewer.numDropped += 1;
      return;
    }
    viewer.ready = viewer.res.write(`data: ${json}\n\n`);
  }
}
