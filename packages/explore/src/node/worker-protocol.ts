// Messages between `oicf explore` and its worker threads (structured-clone plain data).

import type { TraceRequest } from '@oicf/traces';
import type { ScreenResult, Slo } from '../analytic/screen-types.js';
import type { SimOutcome } from '../sim/sim-outcome.js';

export interface WorkerInit {
  /** The space file as read (each worker parses and enumerates it: the same order everywhere). */
  readonly spaceJson: unknown;
  readonly requests: readonly TraceRequest[];
  readonly loop: 'open' | 'closed';
  readonly slo: Slo;
  readonly seed: number;
}

export type WorkerJob =
  | { readonly kind: 'screen'; readonly jobId: number; readonly indices: readonly number[] }
  | { readonly kind: 'simulate'; readonly jobId: number; readonly index: number; readonly screen: ScreenResult };

export type WorkerReply =
  | { readonly kind: 'screened'; readonly jobId: number; readonly results: readonly ScreenResult[] }
  | { readonly kind: 'simulated'; readonly jobId: number; readonly outcome: SimOutcome | null }
  /** A twin run in progress: the fraction of its requests finished (not an answer). */
  | { readonly kind: 'progress'; readonly jobId: number; readonly fraction: number };
