// A KV path as the twin prices it: bandwidth and a per-transfer latency, one transfer on the wire at a
// time (first come, first served), like the kv-pool's LinkPacer. A transfer of n bytes that may start at
// t occupies the wire from max(t, when the previous left it) for n ÷ bandwidth, and completes `latency`
// after it leaves the wire (latency overlaps the next transfer's bytes, as on a pipelined link).
//
//   wire:  ──[ transfer 1 ]──[ transfer 2 ]────────
//   done:                 ╰latency╯       ╰latency╯
//
// A transfer over several links (a worker's NIC, the pool's NIC, a far tier) holds them all from the
// latest of their free times, moves at the slowest bandwidth, and pays the largest latency. A link that
// does not queue (`queued` false) prices every transfer alone, as a worker's emulation pacer does.
import type { TransferPath } from '@oicf/sched';

export class FifoLink {
  private busyUntilSeconds = Number.NEGATIVE_INFINITY;
  /** Bytes moved and seconds the wire was busy (for reports). */
  numBytes = 0;
  busySeconds = 0;

  constructor(
    readonly name: string,
    readonly path: TransferPath,
    readonly queued = true,
  ) {
    if (!(path.bandwidthBytesPerSecond > 0)) {
      throw new Error(`link ${name}: bandwidth must be > 0, got ${path.bandwidthBytesPerSecond}`);
    }
    if (!(path.latencySeconds >= 0)) throw new Error(`link ${name}: latency must be ≥ 0, got ${path.latencySeconds}`);
  }

  get freeAtSeconds(): number {
    return this.busyUntilSeconds;
  }

  /** Holds the wire from `fromSeconds` for `seconds` (the caller checked it is free then). */
  hold(fromSeconds: number, seconds: number, numBytes: number): void {
    if (this.queued) this.busyUntilSeconds = fromSeconds + seconds;
    this.busySeconds += seconds;
    this.numBytes += numBytes;
  }
}

/**
 * Reserves `numBytes` over every link of `path` starting no earlier than `readySeconds`; returns when the
 * transfer completes. Zero bytes complete at once, on no link.
 */
export function transferOver(path: readonly FifoLink[], readySeconds: number, numBytes: number): number {
  if (numBytes <= 0 || path.length === 0) return readySeconds;
  let start = readySeconds;
  let bandwidth = Number.POSITIVE_INFINITY;
  let latency = 0;
  for (const link of path) {
    if (link.freeAtSeconds > start) start = link.freeAtSeconds;
    if (link.path.bandwidthBytesPerSecond < bandwidth) bandwidth = link.path.bandwidthBytesPerSecond;
    if (link.path.latencySeconds > latency) latency = link.path.latencySeconds;
  }
  const wireSeconds = numBytes / bandwidth;
  for (const link of path) link.hold(start, wireSeconds, numBytes);
  return start + wireSeconds + latency;
}
