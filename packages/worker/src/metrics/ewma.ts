/**
 * Exponentially weighted moving average: value ← value + α·(x − value), starting at the first sample.
 * Heartbeats report speeds this way so one slow step does not swing routing.
 */
export class Ewma {
  private current: number | undefined;

  /** `alpha` in (0, 1]: the weight of the newest sample. */
  constructor(private readonly alpha = 0.2) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`EWMA alpha must be in (0, 1], got ${alpha}`);
  }

  update(sample: number): number {
    if (!Number.isFinite(sample)) return this.value;
    this.current = this.current === undefined ? sample : this.current + this.alpha * (sample - this.current);
    return this.current;
  }

  /** The average, or 0 before any sample. */
  get value(): number {
    return this.current ?? 0;
  }

  get hasValue(): boolean {
    return this.current !== undefined;
  }
}
