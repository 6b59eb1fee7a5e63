import { TraceError } from '../trace-error.js';
import type { TraceRequest } from '../types.js';

/**
 * Multiplies every time (arrivalSeconds, gapAfterPreviousSeconds) by `timeFactor` > 0:
 * 0.5 replays twice as fast (a replay "speed" s is timeFactor 1/s). Token counts are untouched.
 */
export function scaleTime(requests: readonly TraceRequest[], timeFactor: number): TraceRequest[] {
  if (!(Number.isFinite(timeFactor) && timeFactor > 0)) {
    throw new TraceError('invalid-argument', `timeFactor must be a finite number > 0, got ${timeFactor}`);
  }
  return requests.map((r) => ({
    ...r,
    arrivalSeconds: r.arrivalSeconds * timeFactor,
    ...(r.gapAfterPreviousSeconds !== undefined
      ? { gapAfterPreviousSeconds: r.gapAfterPreviousSeconds * timeFactor }
      : {}),
  }));
}
