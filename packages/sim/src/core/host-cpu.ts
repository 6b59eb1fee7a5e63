// The local cluster's workers share this machine's cores (the twin of `oicf cluster up` on 2 cores runs 4
// workers). A first-order model of that: a computation that would take `seconds` on a core of its own is
// stretched by the number of computations in progress (its own included) over the cores, when that exceeds
// one. It does not slow the computations already running when another starts (no processor sharing
// replay), and it counts only the workers' kernel time, not the router, pool or client (see
// docs/simulation.md, what is not modelled).
export class HostCpu {
  /** End times of the computations in progress. */
  private ends: number[] = [];
  /** Computations stretched, and the seconds added, for reports. */
  numStretched = 0;
  addedSeconds = 0;

  constructor(readonly cores: number) {
    if (!(cores >= 1)) throw new Error(`host cores must be ≥ 1, got ${cores}`);
  }

  /** A computation of `seconds` (alone on a core) starting at `nowSeconds`: how long it takes now. */
  run(nowSeconds: number, seconds: number): number {
    if (this.ends.length > 0) this.ends = this.ends.filter((e) => e > nowSeconds);
    const concurrent = this.ends.length + 1;
    const stretched = concurrent > this.cores ? (seconds * concurrent) / this.cores : seconds;
    if (stretched > seconds) {
      this.numStretched++;
      this.addedSeconds += stretched - seconds;
    }
    this.ends.push(nowSeconds + stretched);
    return stretched;
  }
}
