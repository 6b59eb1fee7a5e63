// What the twin measured for one configuration on the workload (plain JSON, like the screen's results).
import type { Objectives, RegimeMix } from '../analytic/screen-types.js';

export interface SimOutcome {
  readonly index: number;
  /** Requests judged (finished in any way but cancelled) and those meeting both SLOs. */
  readonly numJudged: number;
  readonly numMet: number;
  readonly numRejected: number;
  readonly attainment: number;
  readonly goodputRps: number;
  readonly ttftP50Seconds: number | null;
  readonly ttftP99Seconds: number | null;
  readonly tpotP50Seconds: number | null;
  readonly tpotP99Seconds: number | null;
  /** Output tokens per second over the run. */
  readonly outputTokensPerSecond: number;
  readonly objectives: Objectives;
  /** Share of engine steps in each regime, as the twin ran them. */
  readonly regimeMix: RegimeMix;
  /** Where KV lived: running KV (byte-seconds by tier) and the pool's stored blocks. */
  readonly kvTierShares: Readonly<Record<string, number>>;
  readonly simulatedSeconds: number;
  readonly wallSeconds: number;
  readonly interrupted: boolean;
  /** The twin's why line ('' to keep the screen's). */
  readonly why: string;
}
