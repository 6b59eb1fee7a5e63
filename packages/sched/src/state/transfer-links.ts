// The transfer paths the cost model prices KV movement with: the pool's tiers and the handoff link as
// priors, learned from what finished requests report (framework/measured-path.ts). Two measured
// paths: pool → worker (prefix fetches, capping every tier's read bandwidth) and prefill → decode
// (the handoff). Bytes are the router's own units, tokens × kvBytesPerToken, so what is learned is
// exactly what the cost model multiplies. The tier priors can be replaced while running
// (`setTierPriors`): the host refreshes them from what the pool reports it models.
import { cappedTierPaths, MeasuredPath } from '../framework/measured-path.js';
import type { TransferPath } from '../types.js';

/** What one finished request says about its transfers (router units: tokens). */
export interface TransferObservation {
  /** Remote prefill: tokens the prefill worker fetched from the pool, and how long that took. */
  readonly prefillPoolTokens?: number;
  readonly prefillFetchSeconds?: number;
  /** Remote prefill: tokens shipped to the decode worker, and how long the push took until acknowledged. */
  readonly handoffTokens?: number;
  readonly handoffSeconds?: number;
  /** Local prefill: tokens the decode worker fetched from the pool, and how long until its KV was present. */
  readonly decodePoolTokens?: number;
  readonly decodeFetchSeconds?: number;
}

export class TransferLinks {
  readonly handoff: MeasuredPath;
  private poolReadPath: MeasuredPath;
  private tiers: Readonly<Record<string, TransferPath>>;
  // What the cost model reads on every request: the priors until a transfer is measured (the router's
  // hot path reads these; observe, once per finished request, and setTierPriors recompute them).
  private currentTierPaths: Readonly<Record<string, TransferPath>>;
  private currentHandoffPath: TransferPath;

  constructor(
    tiers: Readonly<Record<string, TransferPath>>,
    handoffPrior: TransferPath,
    private readonly learn: boolean,
    private readonly kvBytesPerToken: number,
  ) {
    this.tiers = tiers;
    this.poolReadPath = networkPrior(tiers);
    this.handoff = new MeasuredPath(handoffPrior);
    this.currentTierPaths = tiers;
    this.currentHandoffPath = handoffPrior;
  }

  /** The pool → worker path learned from prefix fetches (its prior: the fastest tier's bandwidth). */
  get poolRead(): MeasuredPath {
    return this.poolReadPath;
  }

  /** The tier read paths as last given (constructor or setTierPriors), before any cap. */
  tierPriors(): Readonly<Record<string, TransferPath>> {
    return this.tiers;
  }

  /**
   * Replaces the tier priors (e.g. the pool now reports other figures, or reports them at last). What
   * was learned of the pool → worker path is kept and still caps every tier; before anything is
   * measured the cap moves to the new fastest tier, so it again changes nothing until measured.
   */
  setTierPriors(tiers: Readonly<Record<string, TransferPath>>): void {
    const prior = networkPrior(tiers);
    this.tiers = tiers;
    if (this.poolReadPath.numObservations === 0) this.poolReadPath = prior;
    this.currentTierPaths =
      this.poolReadPath.numObservations === 0 ? tiers : cappedTierPaths(tiers, this.poolReadPath.path());
  }

  /** Read paths per pool tier (capped at the measured pool → worker bandwidth). Recomputed on observe and setTierPriors only. */
  tierPaths(): Readonly<Record<string, TransferPath>> {
    return this.currentTierPaths;
  }

  handoffPath(): TransferPath {
    return this.currentHandoffPath;
  }

  observe(o: TransferObservation): void {
    if (!this.learn) return;
    const bpt = this.kvBytesPerToken;
    let poolChanged = false;
    if (o.prefillPoolTokens !== undefined && o.prefillFetchSeconds !== undefined) {
      poolChanged = this.poolRead.observe(o.prefillPoolTokens * bpt, o.prefillFetchSeconds) || poolChanged;
    }
    if (o.decodePoolTokens !== undefined && o.decodeFetchSeconds !== undefined) {
      poolChanged = this.poolRead.observe(o.decodePoolTokens * bpt, o.decodeFetchSeconds) || poolChanged;
    }
    if (poolChanged) this.currentTierPaths = cappedTierPaths(this.tiers, this.poolReadPath.path());
    if (o.handoffTokens !== undefined && o.handoffSeconds !== undefined) {
      if (this.handoff.observe(o.handoffTokens * bpt, o.handoffSeconds)) this.currentHandoffPath = this.handoff.path();
    }
  }
}

/** The network prior is the fastest tier's path: capping by it changes nothing until measured. */
function networkPrior(tiers: Readonly<Record<string, TransferPath>>): MeasuredPath {
  const fastestTier = Object.values(tiers).reduce<TransferPath | undefined>(
    (a, p) => (a === undefined || p.bandwidthBytesPerSecond > a.bandwidthBytesPerSecond ? p : a),
    undefined,
  );
  if (fastestTier === undefined) throw new Error('TransferLinks: no pool tier paths');
  return new MeasuredPath({ bandwidthBytesPerSecond: fastestTier.bandwidthBytesPerSecond, latencySeconds: 0 });
}
