/**
 * What the pool reports as it works; metrics.ts turns it into Prometheus series. Every method
 * is optional so tests can observe only what they check.
 */
export interface PoolObserver {
  /** A block moved between tiers ('promote': up on a hit, 'demote': down under pressure). */
  moved?(kind: 'promote' | 'demote', fromTier: string, toTier: string, numBytes: number): void;
  /** A block left the pool to make room (or on an Evict call). */
  evicted?(tier: string, numBytes: number): void;
  /** A block was found (lookup with touch, get) in `tier`. */
  hit?(tier: string): void;
  /** A block asked for by get was in no tier. */
  miss?(): void;
  /**
   * A request's prefix-cache query (Lookup with query = true): `numBlocks` ids asked, the leading ones
   * found in `tiers` (one entry per found block, nearest tier first as held); the rest are misses.
   */
  prefixQuery?(numBlocks: number, tiers: readonly string[]): void;
  /** A checksum or identity check failed: on receipt of a put, or reading a tier. */
  checksumFailed?(where: 'receipt' | string): void;
  /** Payload bytes accepted by put / sent by get. */
  receivedBytes?(numBytes: number): void;
  sentBytes?(numBytes: number): void;
  /** Seconds from put arrival to stored; from get lookup to bytes read, per tier. */
  putSeconds?(seconds: number): void;
  readSeconds?(tier: string, seconds: number): void;
}
