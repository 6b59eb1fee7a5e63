// The prefill → decode handoff's costs per byte from a real run's per-request timings (host-cost.ts
// HandoffCost), where the CPU regression (fit-host-cost.ts) cannot place them: its per-KV-byte columns
// correlate with everything a long prompt brings, and the twin priced with them gave handoffs 2–3× and first
// decode gaps 3–4× longer than the same run measured. Per remote-prefill request, two straight lines over the
// handoff's bytes (least squares, slope ≥ 0):
//
//   send path   the prefill worker's KV transfer seconds (export, handoff until acknowledged, pool put):
//               slope − the link's measured seconds per byte = the send path beyond the link
//   import      the first gap between tokens (the Decode call's import, then a decode step): slope
//
// The workers' per-byte CPU the regression gave (Σ coefficient × its KV bytes) beyond send, import and the
// link's time is kept as off-path demand per handoff byte, so the model still charges the CPU the run used.
import type { HandoffCost } from './host-cost.js';

/** One remote-prefill request of a real run. */
export interface HandoffObservation {
  readonly handoffBytes: number;
  /** The prefill worker's KV transfer seconds (its record's kvTransferSeconds). */
  readonly sendSeconds: number;
  /** The first gap between its tokens (undefined: one output token). */
  readonly firstGapSeconds: number | undefined;
}

export interface LineFit {
  readonly interceptSeconds: number;
  readonly secondsPerByte: number;
  readonly r2: number;
  readonly n: number;
}

export interface HandoffFit {
  readonly cost: HandoffCost;
  readonly send: LineFit;
  readonly firstGap: LineFit;
}

/** y = a + b·x by least squares, b clamped at 0 (then a = mean y). */
export function fitLine(points: readonly { x: number; y: number }[]): LineFit {
  const n = points.length;
  if (n < 2) throw new Error(`handoff fit: need ≥ 2 requests, got ${n}`);
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
    syy += (p.y - my) ** 2;
  }
  const b = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
  const a = my - b * mx;
  let ssRes = 0;
  for (const p of points) ssRes += (p.y - a - b * p.x) ** 2;
  return { interceptSeconds: a, secondsPerByte: b, r2: syy > 0 ? 1 - ssRes / syy : 1, n };
}

export function fitHandoffCost(
  observations: readonly HandoffObservation[],
  o: {
    /** The link's measured seconds per byte (1 ÷ the handoff's measured bandwidth). */
    readonly linkSecondsPerByte: number;
    /** The regression's per-byte CPU seconds of the workers over the run, and the run's handoff bytes. */
    readonly regressedKvCpuSeconds: number;
    readonly handoffBytes: number;
  },
): HandoffFit {
  const send = fitLine(observations.map((r) => ({ x: r.handoffBytes, y: r.sendSeconds })));
  const firstGap = fitLine(
    observations
      .filter((r) => r.firstGapSeconds !== undefined)
      .map((r) => ({ x: r.handoffBytes, y: r.firstGapSeconds as number })),
  );
  const sendSecondsPerByte = Math.max(0, send.secondsPerByte - o.linkSecondsPerByte);
  const importSecondsPerByte = firstGap.secondsPerByte;
  const regressedPerByte = o.handoffBytes > 0 ? o.regressedKvCpuSeconds / o.handoffBytes : 0;
  const offPathSecondsPerByte = Math.max(
    0,
    regressedPerByte - sendSecondsPerByte - importSecondsPerByte - o.linkSecondsPerByte,
  );
  return { cost: { sendSecondsPerByte, importSecondsPerByte, offPathSecondsPerByte }, send, firstGap };
}
