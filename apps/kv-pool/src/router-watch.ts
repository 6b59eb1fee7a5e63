// The pool's side of "no orphans" (docs/reliability.md): the router calls KvPool.Health every few seconds
// (its pool keepalive); once heard, a router silent for `graceSeconds` means the cluster is gone, and the
// pool shuts down instead of running orphaned. With auth on, only the member "router" counts.
import type { CallerIdentity } from '@oicf/transport';

export class RouterWatch {
  private lastHeardMs: number | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private fired = false;

  constructor(
    private readonly graceSeconds: number,
    private readonly onGone: () => void,
    private readonly nowMs: () => number = Date.now,
  ) {
    if (graceSeconds <= 0) return;
    this.timer = setInterval(() => this.check(), Math.min(1000, (graceSeconds * 1000) / 4));
    this.timer.unref();
  }

  heard(caller: CallerIdentity | undefined): void {
    if (caller === undefined || caller.memberId === 'router') this.lastHeardMs = this.nowMs();
  }

  check(): void {
    if (this.fired || this.lastHeardMs === undefined || this.graceSeconds <= 0) return;
    if (this.nowMs() - this.lastHeardMs < this.graceSeconds * 1000) return;
    this.fired = true;
    this.onGone();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
