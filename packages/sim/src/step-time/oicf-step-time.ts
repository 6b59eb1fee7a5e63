// The `oicf` step-time model at simulation speed: exactly @oicf/core's roofline prediction of a target
// model on a target domain (analyzePointWith, what a worker under `--emulate` paces to), evaluated from
// closed forms fitted to it instead of walking the operator table on every step (~10–80 µs a call).
//
// Why closed forms are exact here: a step's predicted time is max(compute, memory) + communication, and
// each of the three is linear in the step's token counts (FLOPs and bytes are sums over operators of
// counts × per-token constants). A decode step's counts are functions of the batch B and the summed
// context S only (Σ keys attended, Σ cached tokens), so for each B each component is affine in S: fitted
// from two evaluations per batch size seen. A prefill of t new tokens after p cached is, for a dense
// model, a + b·t + c·p + d·t·p + e·t² per component (causal attention pairs t·p + t(t+1)/2) while t stays
// within the vocabulary (an embedding step reads min(t, vocab) rows): fitted from five evaluations, longer
// prefills evaluated directly. Every fit is checked against the analytic model at other points when it is
// made (relative error ≤ 1e-9); where a check fails (MoE prefill: expected distinct experts are not
// polynomial in t) that kind of step is evaluated directly, so the model never differs from @oicf/core's.
import { analyzePointWith, type DeviceSpec, type ModelSpec, type PrecisionConfig, type ShardingSpec } from '@oicf/core';
import type { StepShapeQuery, StepTimeModel } from './step-time-model.js';

/** A catalog model on a tensor-parallel domain of a catalog device (@oicf/worker EmulationTarget has this shape). */
export interface OicfTarget {
  readonly model: ModelSpec;
  readonly device: DeviceSpec;
  readonly precision: PrecisionConfig;
  readonly sharding: ShardingSpec;
}

type Parts = readonly [compute: number, memory: number, communication: number];

const TOLERANCE = 1e-9;
/** Longest prefill the polynomial covers (tokens), below the vocabulary size (see above). */
const MAX_SPAN = 131_072;

function parts(target: OicfTarget, step: StepShapeQuery): Parts {
  const common = { model: target.model, device: target.device, precision: target.precision, sharding: target.sharding };
  const r =
    step.phase === 'prefill'
      ? analyzePointWith(
          { ...common, phase: 'prefill', batch: 1, newTokens: step.numNewTokens, cachedTokens: step.cachedTokens },
          false,
        )
      : analyzePointWith({ ...common, phase: 'decode', contextTokens: step.contextTokens }, false);
  return [r.predicted.computeSeconds, r.predicted.memorySeconds, r.predicted.communicationSeconds];
}

const combine = (p: Parts) => Math.max(p[0], p[1]) + p[2];

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

function evalDecode(f: DecodeFit, sum: number): number {
  const d = sum - f.s0;
  const compute = f.compute0 + f.computePerToken * d;
  const memory = f.memory0 + f.memoryPerToken * d;
  return Math.max(compute, memory) + f.communication;
}

/** The fit for one batch size, or undefined when the check fails. */
function fitDecode(target: OicfTarget, batch: number): DecodeFit | undefined {
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
    const d = s - s0;
    const got: Parts = [
      fit.compute0 + fit.computePerToken * d,
      fit.memory0 + fit.memoryPerToken * d,
      fit.communication,
    ];
    if (!exact.every((e, k) => close(got[k] as number, e))) return undefined;
  }
  return fit;
}

type Poly = readonly [a: number, b: number, c: number, d: number, e: number];

/** a + b·t + c·p + d·t·p + e·t² per component for 1 ≤ t ≤ span, or undefined when the check fails. */
function fitPrefill(target: OicfTarget, span: number): readonly [Poly, Poly, Poly] | undefined {
  const T = span;
  const P = MAX_SPAN;
  const h = Math.floor(T / 2);
  const at = (t: number, p: number) => parts(target, { phase: 'prefill', numNewTokens: t, cachedTokens: p });
  const f1 = at(1, 0);
  const fh = at(h, 0);
  const fT = at(T, 0);
  const g1 = at(1, P);
  const gT = at(T, P);
  const polys = [0, 1, 2].map((k): Poly => {
    const y1 = f1[k] as number;
    const yh = fh[k] as number;
    const yT = fT[k] as number;
    // Quadratic through (1, y1), (h, yh), (T, yT) in Newton form.
    const d1 = (yh - y1) / (h - 1);
    const d2 = (yT - yh) / (T - h);
    const e = (d2 - d1) / (T - 1);
    const b = d1 - e * (1 + h);
    const a = y1 - b - e;
    // p terms: (f(t, P) − f(t, 0)) / P = c + d·t, from t = 1 and t = T.
    const q1 = ((g1[k] as number) - y1) / P;
    const qT = ((gT[k] as number) - yT) / P;
    const d = (qT - q1) / (T - 1);
    const c = q1 - d;
    return [a, b, c, d, e];
  });
  const fit = polys as unknown as readonly [Poly, Poly, Poly];
  const checks: readonly (readonly [number, number])[] = [
    [3, 7],
    [Math.min(777, T), 131],
    [Math.min(1000, T), 4096],
    [Math.max(1, T - 5), 100_003],
    [Math.max(1, Math.floor(T / 3)), 5],
  ];
  for (const [t, p] of checks) {
    const exact = at(t, p);
    const got = evalPrefill(fit, t, p);
    if (!exact.every((v, k) => close(got[k] as number, v))) return undefined;
  }
  return fit;
}

function evalPrefill(fit: readonly [Poly, Poly, Poly], t: number, p: number): Parts {
  const v = (q: Poly) => q[0] + q[1] * t + q[2] * p + q[3] * t * p + q[4] * t * t;
  return [v(fit[0]), v(fit[1]), v(fit[2])];
}

function checkShape(step: StepShapeQuery): void {
  if (step.phase === 'prefill') {
    if (!Number.isInteger(step.numNewTokens) || step.numNewTokens < 1)
      throw new Error(`step shape: numNewTokens must be an integer ≥ 1, got ${step.numNewTokens}`);
    if (!Number.isInteger(step.cachedTokens) || step.cachedTokens < 0)
      throw new Error(`step shape: cachedTokens must be an integer ≥ 0, got ${step.cachedTokens}`);
  } else if (step.contextTokens.length === 0) {
    throw new Error('step shape: a decode step needs at least one sequence (contextTokens is empty)');
  }
}

/**
 * The `oicf` model of `target` (label e.g. `llama-3.1-70b@h100`): @oicf/core's predicted step time,
 * evaluated from the exact closed forms above (fits are made lazily, the first time a kind of step or a
 * batch size is seen).
 */
export function oicfStepTimeModel(target: OicfTarget, label = `${target.model.id}@${target.device.id}`): StepTimeModel {
  const decodeFits: (DecodeFit | null | undefined)[] = [];
  const span = Math.max(3, Math.min(MAX_SPAN, target.model.vocabSize - 1));
  let prefillFit: ReturnType<typeof fitPrefill> | null | undefined;
  return {
    kind: 'oicf',
    label,
    stepSeconds(step: StepShapeQuery): number {
      checkShape(step);
      if (step.phase === 'prefill') {
        if (step.numNewTokens > span) return combine(parts(target, step));
        if (prefillFit === undefined) prefillFit = fitPrefill(target, span) ?? null;
        if (prefillFit === null) return combine(parts(target, step));
        return combine(evalPrefill(prefillFit, step.numNewTokens, step.cachedTokens));
      }
      const contexts = step.contextTokens;
      const batch = contexts.length;
      let fit = decodeFits[batch];
      if (fit === undefined) {
        fit = fitDecode(target, batch) ?? null;
        decodeFits[batch] = fit;
      }
      if (fit === null) return combine(parts(target, step));
      let sum = 0;
      for (let i = 0; i < batch; i++) {
        const c = contexts[i] as number;
        if (!(c >= 1)) throw new Error(`step shape: contextTokens[${i}] must be ≥ 1, got ${c}`);
        sum += c;
      }
      return evalDecode(fit, sum);
    },
  };
}

/** The analytic prediction itself, evaluated on every call (for checks and small runs). */
export function directOicfStepSeconds(target: OicfTarget, step: StepShapeQuery): number {
  return combine(parts(target, step));
}
