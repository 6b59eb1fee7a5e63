import { loadProto, type RegisterRequest, type RegistryClient, type WorkerLoad } from '@oicf/proto';
import { type Clock, createGrpcClient, isOicfError, unaryCall } from '@oicf/transport';
import type { Logger } from '../util/logger.js';

export interface RegistrationOptions {
  /** `host:port` of the router's Registry service. */
  readonly routerAddress: string;
  readonly request: RegisterRequest;
  /** The worker's load now, sent with every heartbeat. */
  readonly load: () => WorkerLoad;
  readonly clock: Clock;
  readonly log: Logger;
  /** Seconds between Register attempts while the router is unreachable or refuses (default 0.5). */
  readonly retrySeconds?: number;
  /** Heartbeat interval until the router names one (default 1). */
  readonly heartbeatSeconds?: number;
  /** Deadline of each Register/Heartbeat call (default 2). */
  readonly callTimeoutSeconds?: number;
  /** Wall clock for `sent_at_unix_ms` (default Date.now). */
  readonly wallClockMs?: () => number;
  /**
   * Seconds without any answer from the router (Register or Heartbeat) after which `onRouterLost` runs, so a
   * worker whose router is gone does not run orphaned (0 or absent = never). Counted from start.
   */
  readonly routerGraceSeconds?: number;
  readonly onRouterLost?: (silentSeconds: number) => void;
}

/**
 * A worker's membership in the router's registry:
 *
 *   unregistered ──Register accepted──▶ registered ──heartbeat every interval──▶ …
 *        ▲                                  │ directive REREGISTER (router restarted / forgot us)
 *        └──────────────────────────────────┘
 *   directive DRAIN → draining (not ready, finish running work); RESUME → ready again.
 *
 * `ready` (→ /readyz) is true only while registered and not draining. A refused Register is retried
 * every `retrySeconds` with the reason logged; a failed heartbeat keeps the registration (the router
 * answers REREGISTER if it lost us).
 */
export class Registration {
  private registered = false;
  private drainingFlag = false;
  private readonly abort = new AbortController();
  private readonly client: RegistryClient;
  private loop: Promise<void> | undefined;
  private numRegistrations = 0;
  private lastAnswerSeconds = 0;
  private lostNotified = false;

  constructor(private readonly options: RegistrationOptions) {
    this.client = createGrpcClient(loadProto().Registry, options.routerAddress);
  }

  get ready(): boolean {
    return this.registered && !this.drainingFlag;
  }

  get draining(): boolean {
    return this.drainingFlag;
  }

  /** Times Register was accepted (1 after start; more after REREGISTER directives). */
  get registrations(): number {
    return this.numRegistrations;
  }

  start(): void {
    this.loop ??= this.run().catch((err: unknown) => {
      if (!this.abort.signal.aborted) this.options.log.error('registration loop failed', { error: String(err) });
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.client.close();
  }

  /** Called after every Register/Heartbeat failure: gives up on a router silent for the grace period. */
  private checkRouterGone(): void {
    const grace = this.options.routerGraceSeconds ?? 0;
    if (grace <= 0 || this.lostNotified) return;
    const silent = this.options.clock.nowSeconds() - this.lastAnswerSeconds;
    if (silent < grace) return;
    this.lostNotified = true;
    this.options.log.error('the router has not answered for the grace period; leaving the cluster', {
      router: this.options.routerAddress,
      silentSeconds: silent,
      routerGraceSeconds: grace,
    });
    this.options.onRouterLost?.(silent);
  }

  private async run(): Promise<void> {
    const o = this.options;
    const timeoutSeconds = o.callTimeoutSeconds ?? 2;
    let intervalSeconds = o.heartbeatSeconds ?? 1;
    const signal = this.abort.signal;
    this.lastAnswerSeconds = o.clock.nowSeconds();
    while (!signal.aborted) {
      if (!this.registered) {
        try {
          const res = await unaryCall(this.client, 'Register', o.request, { timeoutSeconds, signal });
          this.lastAnswerSeconds = o.clock.nowSeconds();
          if (res.accepted) {
            this.registered = true;
            this.numRegistrations++;
            if (res.heartbeatIntervalSeconds > 0) intervalSeconds = res.heartbeatIntervalSeconds;
            o.log.info('registered with the router', { router: o.routerAddress, heartbeatSeconds: intervalSeconds });
            continue;
          }
          o.log.warn('the router refused registration; retrying', { reason: res.reason });
        } catch (err) {
          if (signal.aborted) return;
          o.log.warn('cannot reach the router to register; retrying', { error: errorText(err) });
          this.checkRouterGone();
        }
        await this.sleep(o.retrySeconds ?? 0.5);
        continue;
      }
      await this.sleep(intervalSeconds);
      if (signal.aborted) return;
      try {
        const res = await unaryCall(
          this.client,
          'Heartbeat',
          {
            workerId: o.request.workerId ?? '',
            load: o.load(),
            sentAtUnixMs: (o.wallClockMs ?? Date.now)(),
            // The addresses it serves on: a slot another address took over is not kept alive by us.
            grpcAddress: o.request.grpcAddress ?? '',
            wsAddress: o.request.wsAddress ?? '',
          },
          { timeoutSeconds, signal },
        );
        this.lastAnswerSeconds = o.clock.nowSeconds();
        if (res.nextHeartbeatSeconds > 0) intervalSeconds = res.nextHeartbeatSeconds;
        for (const d of res.directives) {
          if (d.kind === 'DIRECTIVE_KIND_REREGISTER') {
            this.registered = false;
            o.log.info('router asked to register again', { reason: d.reason });
          } else if (d.kind === 'DIRECTIVE_KIND_DRAIN') {
            if (!this.drainingFlag) o.log.info('draining on router directive', { reason: d.reason });
            this.drainingFlag = true;
          } else if (d.kind === 'DIRECTIVE_KIND_RESUME') {
            if (this.drainingFlag) o.log.info('resuming on router directive', { reason: d.reason });
            this.drainingFlag = false;
          }
        }
      } catch (err) {
        if (signal.aborted) return;
        o.log.warn('heartbeat failed', { error: errorText(err) });
        this.checkRouterGone();
      }
    }
  }

  private async sleep(seconds: number): Promise<void> {
    try {
      await this.options.clock.sleep(seconds, this.abort.signal);
    } catch {
      // aborted: the loop ends
    }
  }
}

function errorText(err: unknown): string {
  return isOicfError(err) ? `${err.code}: ${err.message}` : String(err);
}
