// Credit-based flow control of the request plane's multi-request frames (request_plane.proto): the
// receiver grants a window of frames, the sender spends one credit per frame and holds its output while it
// has none (merging it into its next frame). Pure: no sockets, no clock.
//
//   receiver                      sender
//   CreditLedger(window W) ──grant W──▶ CreditGate: available = W
//        ◀── frame ── frame ── …        take() per frame (false at 0: hold and merge)
//   received(): every W/2 frames ──grant W/2──▶ grant()
//
// With the refill at half the window the sender normally never runs dry while the receiver keeps up; when
// the receiver stalls, at most W frames are in flight and the sender's output merges instead of queueing.

/** The sender's side: frames it may still send. */
export class CreditGate {
  private numAvailable: number;

  constructor(initialFrames = 0) {
    this.numAvailable = initialFrames;
  }

  get available(): number {
    return this.numAvailable;
  }

  /** Spends one credit; false (nothing spent) when there is none. */
  take(): boolean {
    if (this.numAvailable === 0) return false;
    this.numAvailable -= 1;
    return true;
  }

  /** Adds `numFrames` credits (a `plane.credit` frame arrived). */
  grant(numFrames: number): void {
    this.numAvailable += numFrames;
  }
}

/** The receiver's side: how many frames to grant, and when. */
export class CreditLedger {
  private numSinceGrant = 0;
  private readonly refill: number;

  /** `windowFrames` ≥ 1: the most frames the sender may have sent and the receiver not yet processed. */
  constructor(readonly windowFrames: number) {
    if (!(Number.isInteger(windowFrames) && windowFrames >= 1)) {
      throw new RangeError(`windowFrames must be an integer ≥ 1, got ${windowFrames}`);
    }
    this.refill = Math.max(1, Math.floor(windowFrames / 2));
  }

  /** Counts one processed frame; returns the credits to grant now (0 until half the window is used). */
  received(): number {
    this.numSinceGrant += 1;
    if (this.numSinceGrant < this.refill) return 0;
    const grant = this.numSinceGrant;
    this.numSinceGrant = 0;
    return grant;
  }
}
