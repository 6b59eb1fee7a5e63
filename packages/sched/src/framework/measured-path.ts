import type { TransferPath } from '../types.js';

export interface MeasuredPathOptions {
  /** Weight of the prior, as bytes already observed at the prior bandwidth (default 4 MiB). */
  readonly priorBytes?: number;
  /** Share of the estimate each observation replaces (default 0.2: about the last 5 transfers). */
  readonly alpha?: number;
  /** Transfers smaller than this are ignored: their time is latency, not bandwidth (default 256 KiB). */
  readonly minBytes?: number;
}

/**
 * A transfer path whose bandwidth is learned from the transfers the cluster actually makes, starting
 * from a prior (the catalog's link or tier). The estimate is a bytes-weighted moving average:
 *
 *   bytes ← (1 − α)·bytes + α·b,   seconds ← (1 − α)·seconds + α·max(s − latency, ε),
 *   bandwidth = bytes ÷ seconds,
 *
 * seeded with `priorBytes` at the prior bandwidth, so a few transfers move it and one outlier does
 * not. Why: on one machine KV moves over loopback WebSockets at ~1–2 GB/s while the catalog's RDMA
 * link says 50 GB/s; under `--emulate` the workers pace transfers to the target link, which the
 * estimate then converges to. The cost model should predict what will happen, not what the
 * datasheet says. Latency stays the prior's.
 */
export class MeasuredPath {
  private bytes: number;
  private seconds: number;
  private observations = 0;
  private readonly alpha: number;
  private readonly minBytes: number;

  constructor(
    private readonly prior: TransferPath,
    options: MeasuredPathOptions = {},
  ) {
    if (!(prior.bandwidthBytesPerSecond > 0)) {
      throw new Error(`MeasuredPath: prior bandwidth must be > 0, got ${prior.bandwidthBytesPerSecond}`);
    }
    const priorBytes = options.priorBytes ?? 4 * 1024 * 1024;
    this.alpha = options.alpha ?? 0.2;
    if (!(this.alpha > 0 && this.alpha <= 1))
      throw new Error(`MeasuredPath: alpha must be in (0, 1], got ${this.alpha}`);
    this.minBytes = options.minBytes ?? 256 * 1024;
    this.bytes = priorBytes;
    this.seconds = priorBytes / prior.bandwidthBytesPerSecond;
  }

  /** Records one transfer of `bytes` that took `seconds`; returns whether it counted. */
  observe(bytes: number, seconds: number): boolean {
    if (!(bytes >= this.minBytes) || !(seconds > 0) || !Number.isFinite(seconds)) return false;
    const transfer = Math.max(seconds - this.prior.latencySeconds, 1e-9);
    this.bytes = (1 - this.alpha) * this.bytes + this.alpha * bytes;
    this.seconds = (1 - this.alpha) * this.seconds + this.alpha * transfer;
    this.observations += 1;
    return true;
  }

  /** Transfers that counted so far. */
  get numObservations(): number {
    return this.observations;
  }

  get bandwidthBytesPerSecond(): number {
    return this.observations === 0 ? this.prior.bandwidthBytesPerSecond : this.bytes / this.seconds;
  }

  path(): TransferPath {
    return { bandwidthBytesPerSecond: this.bandwidthBytesPerSecond, latencySeconds: this.prior.latencySeconds };
  }
}

/**
 * Tier read paths as seen by a worker: each tier's own path in series with the measured network
 * path from the pool, so the slower of the two sets the bandwidth (transfers stream, so the
 * bottleneck, not the sum, bounds them).
 */
export function cappedTierPaths(
  tiers: Readonly<Record<string, TransferPath>>,
  network: TransferPath,
): Record<string, TransferPath> {
  const out: Record<string, TransferPath> = {};
  for (const [name, p] of Object.entries(tiers)) {
    out[name] = {
      bandwidthBytesPerSecond: Math.min(p.bandwidthBytesPerSecond, network.bandwidthBytesPerSecond),
      latencySeconds: p.latencySeconds,
    };
  }
  return out;
}
