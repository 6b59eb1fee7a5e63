import type { Clock } from '@oicf/transport';

/**
 * Paces transfers over one emulated link (one direction of a CXL or optical-I/O tier) to a
 * bandwidth and a latency, against a monotonic clock.
 *
 * The link is serial: a transfer of n bytes occupies it for n ÷ bandwidth seconds starting when
 * both the transfer has begun and the previous one has left the link; it completes `latency`
 * later (latency overlaps with the next transfer's bytes, as on a pipelined link). The caller
 * does the real copy first, then awaits `finish`, which sleeps whatever is left until the
 * modelled completion time: real work is never double-counted, and a copy slower than the
 * model is not slowed further.
 *
 * Timers cannot sleep less than about a millisecond, so a remainder below `minSleepSeconds`
 * is not slept; the link's busy-until time still advances, so the debt carries into later
 * transfers and aggregate throughput matches the model (sub-millisecond latency of a single
 * isolated transfer is the part that is not emulated).
 */
export interface LinkModel {
  readonly bandwidthBytesPerSecond: number;
  readonly latencySeconds: number;
}

export class LinkPacer {
  private busyUntilSeconds = Number.NEGATIVE_INFINITY;
  /** Seconds slept in total (for tests and stats). */
  sleptSeconds = 0;

  constructor(
    readonly model: LinkModel,
    private readonly clock: Clock,
    private readonly minSleepSeconds = 0.001,
  ) {}

  /** Modelled completion time of a transfer of `numBytes` that began at `startedAtSeconds`; reserves the link. */
  reserve(startedAtSeconds: number, numBytes: number): number {
    const onLinkFrom = Math.max(startedAtSeconds, this.busyUntilSeconds);
    this.busyUntilSeconds = onLinkFrom + numBytes / this.model.bandwidthBytesPerSecond;
    return this.busyUntilSeconds + this.model.latencySeconds;
  }

  /** Waits until a transfer of `numBytes` begun at `startedAtSeconds` (clock time) would complete. */
  async finish(startedAtSeconds: number, numBytes: number, signal?: AbortSignal): Promise<void> {
    const doneAt = this.reserve(startedAtSeconds, numBytes);
    const remaining = doneAt - this.clock.nowSeconds();
    if (remaining < this.minSleepSeconds) return;
    this.sleptSeconds += remaining;
    await this.clock.sleep(remaining, signal);
  }
}
