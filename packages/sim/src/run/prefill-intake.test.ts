// A prefill frame read on the prefill worker's main thread (round 9): onnxruntime holds that thread through each
// kernel call, so a frame dispatched while a prefill chunk runs is read at the chunk's end. Derived by hand on the
// hand cluster on a 2-core host (testing/hand-host.ts: prefill of t new tokens 0.010 + 0.001·t s, no message
// latencies, an instant loopback, zero host costs). The wait is not in the queue the worker reports: it is the
// "rest" of the router's TTFT beyond queue + prefill + transfer.
import { describe, expect, it } from 'vitest';
import { ZERO_HOST_COST } from '../host-cost/host-cost.js';
import { HAND_A, handClusterOnHost } from '../testing/hand-host.js';
import { simulate } from './simulate.js';

/** The router's TTFT less the parts the workers report. */
const rest = (
  r:
    | {
        routing: {
          serverTtftSeconds: number | null;
          queueSeconds: number | null;
          prefillSeconds: number | null;
          kvTransferSeconds: number | null;
        } | null;
      }
    | undefined,
) => {
  const g = r?.routing;
  if (g == null) return Number.NaN;
  return (g.serverTtftSeconds ?? 0) - (g.queueSeconds ?? 0) - (g.prefillSeconds ?? 0) - (g.kvTransferSeconds ?? 0);
};

describe('a prefill frame read between kernel calls (the prefill worker’s main thread)', () => {
  it('waits unread for the running kernel’s end, outside the reported queue', () => {
    // A (10 tokens) at 0: p0's kernel 0 → 0.020, A's reply at 0.020 (instant handoff). B (10 tokens, other blocks)
    // is dispatched at 0.005, during that kernel: read at 0.020, when p0 is free, so it starts at once (queue 0)
    // and its first token comes at 0.040: TTFT 0.035, of which 0.015 (0.005 → 0.020) unread.
    const B = { ...HAND_A, requestId: 'B', arrivalSeconds: 0.005, blockHashes: [5, 6, 7] };
    const [a, b] = simulate(handClusterOnHost(ZERO_HOST_COST), { requests: [HAND_A, B], loop: 'open', seed: 1 }).run
      .records;
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(b?.ttftSeconds).toBeCloseTo(0.035, 9);
    expect(b?.routing?.queueSeconds).toBeCloseTo(0, 9);
    expect(b?.routing?.prefillSeconds).toBeCloseTo(0.02, 9);
    expect(rest(b)).toBeCloseTo(0.015, 9);
  });

  it('is read between two chunks of a long prompt, not behind the whole prompt', () => {
    // A (2,048 tokens) at 0: two kernel calls of 1,024 tokens, the prefill's 0.010 + 2.048 = 2.058 s split by
    // tokens: 0 → 1.029 → 2.058. B (10 tokens) at 0.5 is read between them, at 1.029, and waits in p0's FIFO
    // until A's reply at 2.058: reported queue 2.058 − 1.029 = 1.029; prefill 2.058 → 2.078, TTFT 1.578, of which
    // 1.029 − 0.5 = 0.529 unread.
    const long = 2048;
    const A = {
      ...HAND_A,
      inputTokens: long,
      outputTokens: 2,
      blockHashes: Array.from({ length: long / 4 }, (_, i) => 100 + i),
    };
    const B = { ...HAND_A, requestId: 'B', arrivalSeconds: 0.5, blockHashes: [5, 6, 7] };
    const base = handClusterOnHost(ZERO_HOST_COST);
    const design = {
      ...base,
      router: { ...base.router, maxPromptTokens: 4 * long },
      workers: base.workers.map((w) => ({ ...w, kvCapacityBytes: 1e9 })),
    };
    const [a, b] = simulate(design, { requests: [A, B], loop: 'open', seed: 1 }).run.records;
    expect(a?.ttftSeconds).toBeCloseTo(2.058, 9);
    expect(b?.ttftSeconds).toBeCloseTo(1.578, 9);
    expect(b?.routing?.queueSeconds).toBeCloseTo(1.029, 9);
    expect(rest(b)).toBeCloseTo(0.529, 9);
  });
});
