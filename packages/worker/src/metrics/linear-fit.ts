/**
 * An exponentially weighted least-squares line through (x, y) samples: y ≈ intercept + slope·x, where
 * each new sample multiplies the weight of every older one by (1 − α). Workers fit prefill time this
 * way, seconds ≈ fixed + perToken·tokens, so a decode worker whose prefills are mostly short suffixes
 * (a few tokens behind a long cached prefix) does not report its fixed per-step cost as a huge cost
 * per token, which would make the router price a 200-token local prefill at 200× that.
 *
 * With S0 = Σw, Sx = Σw·x, Sy = Σw·y, Sxx = Σw·x², Sxy = Σw·x·y:
 *   slope = (S0·Sxy − Sx·Sy) / (S0·Sxx − Sx²),  intercept = (Sy − slope·Sx) / S0.
 * When the x values are (nearly) all equal the slope is undetermined: the line goes through the origin
 * (slope = Sy / Sx, intercept 0), the per-token average. A negative slope or intercept is clamped to 0
 * and the other refitted, so the line never predicts less than 0.
 */
export class LinearFit {
  private s0 = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;

  constructor(private readonly alpha = 0.1) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`LinearFit alpha must be in (0, 1], got ${alpha}`);
  }

  add(x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y) || x < 0 || y < 0) return;
    const keep = this.s0 === 0 ? 0 : 1 - this.alpha;
    this.s0 = keep * this.s0 + 1;
    this.sx = keep * this.sx + x;
    this.sy = keep * this.sy + y;
    this.sxx = keep * this.sxx + x * x;
    this.sxy = keep * this.sxy + x * y;
  }

  get hasValue(): boolean {
    return this.s0 > 0;
  }

  /** { intercept, slope }; both 0 before any sample. */
  get line(): { intercept: number; slope: number } {
    if (this.s0 === 0) return { intercept: 0, slope: 0 };
    const throughOrigin = () => ({ intercept: 0, slope: this.sx > 0 ? this.sy / this.sx : 0 });
    const det = this.s0 * this.sxx - this.sx * this.sx;
    // Relative test: the x values' weighted variance is negligible next to their mean square.
    if (!(det > 1e-9 * this.s0 * this.sxx)) return throughOrigin();
    const slope = (this.s0 * this.sxy - this.sx * this.sy) / det;
    const intercept = (this.sy - slope * this.sx) / this.s0;
    if (slope < 0) return { intercept: this.sy / this.s0, slope: 0 };
    if (intercept < 0) return throughOrigin();
    return { intercept, slope };
  }
}
