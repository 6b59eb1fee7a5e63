import type { Clock } from '@oicf/transport';
import type { Target, TargetEvent, TargetRequest } from '../target.js';

/**
 * An in-memory Target for driver tests: each request follows a script on the given (fake) clock:
 * first token after `ttftSeconds`, then `numTokens − 1` more every `gapSeconds`, then a final
 * event; or an immediate error (`reject`: HTTP 429 with that reason). Records when each request
 * arrived and the most requests it ever saw in flight.
 */
export interface Script {
  readonly ttftSeconds: number;
  readonly gapSeconds: number;
  readonly numTokens: number;
  readonly reject?: string;
}

export interface ScriptedTarget extends Target {
  readonly arrivals: { requestId: string; atSeconds: number }[];
  readonly maxInFlight: () => number;
}

export function scriptedTarget(clock: Clock, script: (request: TargetRequest) => Script): ScriptedTarget {
  const arrivals: { requestId: string; atSeconds: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    arrivals,
    maxInFlight: () => maxInFlight,
    async *send(request: TargetRequest, signal: AbortSignal): AsyncIterable<TargetEvent> {
      arrivals.push({ requestId: request.requestId, atSeconds: clock.nowSeconds() });
      const s = script(request);
      if (s.reject !== undefined) {
        yield {
          kind: 'error',
          atSeconds: clock.nowSeconds(),
          httpStatus: 429,
          code: s.reject,
          message: `rejected: ${s.reject}`,
        };
        return;
      }
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        for (let i = 0; i < s.numTokens; i++) {
          await clock.sleep(i === 0 ? s.ttftSeconds : s.gapSeconds, signal);
          yield { kind: 'token', atSeconds: clock.nowSeconds(), numTokens: 1 };
        }
        yield {
          kind: 'final',
          atSeconds: clock.nowSeconds(),
          finishReason: 'length',
          usage: { promptTokens: request.promptTokenIds.length, completionTokens: s.numTokens, cachedTokens: 0 },
          routing: null,
        };
      } catch {
        // aborted: end without a final event
      } finally {
        inFlight -= 1;
      }
    },
  };
}
