import { analyzeTargetStep, predictTargetStep, type StepTarget } from './emulation-target.js';
import { checkStepShape, type StepShapeQuery, type StepTimeModel } from './step-time-model.js';

// The `oicf` step-time model at simulation speed: exactly @oicf/core's roofline prediction of a target
// (predictTargetStep, what a worker under `--emulate` paces to), evaluated from closed forms fitted to it
// instead of walking the operator table on every step (≈ 10–80 µs a call). One implementation for the
// workers' pacer, the twin (@oicf/sim) and anything else that prices steps; the closed forms are the
// twin's (branch c-sim), moved here when the twin and this port were unified.
//
// Why closed forms are exact: a step's predicted time is max(compute, memory) + communication, and each
// of the three is linear in the step's token counts (FLOPs and bytes are sums over operators of counts ×
// per-token constants). A decode step's counts depend on the batch B and the summed context S only (Σ keys
// attended, Σ cached tokens), so for each B each component is affine in S: read off two analyses. A
// prefill of t new tokens after p cached is, per component, a + b·t + c·p + d·t·p + e·t² (causal attention
// pairs t·p + t(t+1)/2) while t stays below the vocabulary (an embedding step reads min(t, vocab) rows):
// read off five analyses; longer prefills are analysed directly. Every fit is checked against the
// analysis at other points when it is made (relative error ≤ 1e-9); where a check fails (MoE prefill:
// expected distinct experts are not polynomial in t) that kind of step is analysed directly, so the model
// never differs from @oicf/core's prediction by more than rounding.

type Parts = readonly [compute: number, memory: number, communication: number];

const TOLERANCE = 1e-9;
/** Longest prefill the polynomial covers (tokens), below the vocabulary size (see above). */
const MAX_SPAN = 131_072;

function parts(target: StepTarget, step: StepShapeQuery): Parts {
  const p = analyzeTargetStep(target, step).predicted;
  return [p.computeSeconds, p.memorySeconds, p.communicationSeconds];
}

function close(fit: number, exact: number): boolean {
  return Math.abs(fit - exact) <= TOLERANCE * Math.max(Math.abs(exact), 1e-12);
}

/** A decode batch of B sequences whose contexts sum to S (B − 1 of them 1 token long). */
function decodeShape(batch: number, sum: number): StepShapeQuery {
  const contexts = new Array<number>(batch).fill(1);
  contexts[0] = sum - (batch - 1);
  return { phase: 'decode', contextTokens: contexts };
}

/** compute, memory and communication of a decode step as affine functions of the summed context S. */
interface DecodeFit {
  readonly s0: number;
  readonly compute0: number;
  readonly computePerToken: number;
  readonly memory0: number;
  readonly memoryPerToken: number;
  readonly communication: number;
}

function decodeParts(f: DecodeFit, sum: number): Parts {
  const d = sum - f.s0;
  return [f.compute0 + f.computePerToken * d, f.memory0 + f.memoryPerToken * d, f.communication];
}

/** The fit for one batch size, or undefined when the check fails. */
function fitDecode(target: StepTarget, batch: number): DecodeFit | undefined {
  const s0 = batch;
  const s1 = batch * 65_537;
  const p0 = parts(target, decodeShape(batch, s0));
  const p1 = parts(target, decodeShape(batch, s1));
  const fit: DecodeFit = {
    s0,
    compute0: p0[0],
    computePerToken: (p1[0] - p0[0]) / (s1 - s0),
    memory0: p0[1],
    memoryPerToken: (p1[1] - p0[1]) / (s1 - s0),
    communication: p0[2],
  };
  for (const s of [batch * 301, batch * 12_346 + 7, batch * 1_000_003]) {
    const exact = parts(target, decodeShape(batch, s));
    const got = decodeParts(fit, s);
    if (!exact.every((e, k) => close(got[k] as number, e))) return undefined;
  }
  return fit;
}

type Poly = readonly [a: number, b: number, c: number, d: number, e: number];
type PrefillFit = readonly [Poly, Poly, Poly];

/** a + b·t + c·p + d·t·p + e·t² per component for 1 ≤ t ≤ span, or undefined when the check fails. */
function fitPrefill(target: StepTarget, span: number): PrefillFit | undefined {
  const T = span;
  const P = MAX_SPAN;
  const h = Math.floor(T / 2);
  const at = (t: number, p: number) => parts(target, { phase: 'prefill', numNewTokens: t, cachedTokens: p });
  const f1 = at(1, 0);
  const fh = at(h, 0);
  const fT = at(T, 0);
  const g1 = at(1, P);
  const gT = at(T, P);
  const poly = (k: 0 | 1 | 2): Poly => {
    // Quadratic in t through (1, f1), (h, fh), (T, fT), in Newton form.
    const d1 = (fh[k] - f1[k]) / (h - 1);
    const d2 = (fT[k] - fh[k]) / (T - h);
    const e = (d2 - d1) / (T - 1);
    const b = d1 - e * (1 + h);
    const a = f1[k] - b - e;
    // The p terms: (f(t, P) − f(t, 0)) / P = c + d·t, from t = 1 and t = T.
    const q1 = (g1[k] - f1[k]) / P;
    const qT = (gT[k] - fT[k]) / P;
    const d = (qT - q1) / (T - 1);
    return [a, b, q1 - d, d, e];
  };
  const fit: PrefillFit = [poly(0), poly(1), poly(2)];
  const checks: readonly (readonly [number, number])[] = [
    [3, 7],
    [Math.min(777, T), 131],
    [Math.min(1000, T), 4096],
    [Math.max(1, T - 5), 100_003],
    [Math.max(1, Math.floor(T / 3)), 5],
  ];
  for (const [t, p] of checks) {
    const exact = at(t, p);
    const got = prefillParts(fit, t, p);
    if (!exact.every((v, k) => close(got[k] as number, v))) return undefined;
  }
  return fit;
}

function polyAt(q: Poly, t: number, p: number): number {
  return q[0] + q[1] * t + q[2] * p + q[3] * t * p + q[4] * t * t;
}

function prefillParts(fit: PrefillFit, t: number, p: number): Parts {
  return [polyAt(fit[0], t, p), polyAt(fit[1], t, p), polyAt(fit[2], t, p)];
}

// A step's seconds, max(compute, memory) + communication, of prefillParts(…) or decodeParts(…) with the same
// arithmetic and no array: the model is asked once per simulated step (millions of times in a twin run).
function prefillStepSeconds(fit: PrefillFit, t: number, p: number): number {
  return Math.max(polyAt(fit[0], t, p), polyAt(fit[1], t, p)) + polyAt(fit[2], t, p);
}

function decodeStepSeconds(f: DecodeFit, sum: number): number {
  const d = sum - f.s0;
  return Math.max(f.compute0 + f.computePerToken * d, f.memory0 + f.memoryPerToken * d) + f.communication;
}

/**
 * The `oicf` step-time model of `target` (label e.g. `llama-3.1-70b@h100`): @oicf/core's predicted step
 * time, predictTargetStep, evaluated from the exact closed forms above (each fit is made the first time
 * its kind of step, or its decode batch size, is seen). Build the target once with
 * emulationTarget('<model>@<device>', '<link>'): the model in bf16 on the smallest tensor-parallel domain
 * of that device its weights fit.
 */
export function oicfStepTimeModel(target: StepTarget, label = `${target.model.id}@${target.device.id}`): StepTimeModel {
  const decodeFits: (DecodeFit | null | undefined)[] = [];
  const span = Math.max(3, Math.min(MAX_SPAN, target.model.vocabSize - 1));
  let prefillFit: PrefillFit | null | undefined;
  return {
    kind: 'oicf',
    label,
    stepSeconds(step: StepShapeQuery): number {
      checkStepShape(step);
      if (step.phase === 'prefill') {
        if (step.numNewTokens > span) return directOicfStepSeconds(target, step);
        if (prefillFit === undefined) prefillFit = fitPrefill(target, span) ?? null;
        if (prefillFit === null) return directOicfStepSeconds(target, step);
        return prefillStepSeconds(prefillFit, step.numNewTokens, step.cachedTokens);
      }
      const batch = step.contextTokens.length;
      let fit = decodeFits[batch];
      if (fit === undefined) {
        fit = fitDecode(target, batch) ?? null;
        decodeFits[batch] = fit;
      }
      if (fit === null) return directOicfStepSeconds(target, step);
      let sum = 0;
      for (const c of step.contextTokens) sum += c;
      return decodeStepSeconds(fit, sum);
    },
  };
}

/** The analytic prediction itself, analysed on every call (for checks and small runs): predictTargetStep. */
export function directOicfStepSeconds(target: StepTarget, step: StepShapeQuery): number {
  return predictTargetStep(target, step).stepSeconds;
}
