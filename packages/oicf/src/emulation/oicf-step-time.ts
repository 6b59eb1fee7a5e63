import { analyzeTargetStep, type EmulationTarget, predictTargetStep } from './emulation-target.js';
import { checkStepShape, type StepShapeQuery, type StepTimeModel } from './step-time-model.js';

/**
 * The `oicf` step-time model: @oicf/core's roofline prediction of the emulated target for each step
 * (predictTargetStep, the figure a worker's pacer sleeps up to under `--emulate`). Build the target
 * once with emulationTarget('<model>@<device>', '<link>'): the model in bf16 on the smallest
 * tensor-parallel domain of that device its weights fit.
 *
 * Decode steps take a fast path (a twin prices millions of them; predictTargetStep costs ≈ 18 µs).
 * For a batch of B sequences @oicf/core's compute, memory and communication times are affine in
 * the batch's total context ΣL (FLOPs and bytes count attended keys and cached tokens), and the step
 * is max(compute, memory) + communication. Per B the three lines are read off two analyses and
 * checked against predictTargetStep at three other contexts; when the check holds (relative error
 * ≤ 1e-9) the step is that arithmetic, otherwise — a model or convention where it is not affine —
 * every step of that B calls predictTargetStep. Prefill always calls it.
 */
export function oicfStepTimeModel(target: EmulationTarget): StepTimeModel {
  const lines = new Map<number, DecodeLines | null>();
  return {
    kind: 'oicf',
    label: `${target.model.id}@${target.device.id}`,
    stepSeconds(step: StepShapeQuery): number {
      checkStepShape(step);
      if (step.phase === 'prefill') return predictTargetStep(target, step).stepSeconds;
      const B = step.contextTokens.length;
      let l = lines.get(B);
      if (l === undefined) {
        l = decodeLines(target, B);
        lines.set(B, l);
      }
      if (l === null) return predictTargetStep(target, step).stepSeconds;
      let sumL = 0;
      for (const L of step.contextTokens) sumL += L;
      return at(l, sumL);
    },
  };
}

/** compute, memory and communication seconds as a + b·ΣL for one batch size. */
interface DecodeLines {
  readonly compute: readonly [number, number];
  readonly memory: readonly [number, number];
  readonly communication: readonly [number, number];
}

function at(l: DecodeLines, sumL: number): number {
  const f = (p: readonly [number, number]) => p[0] + p[1] * sumL;
  return Math.max(f(l.compute), f(l.memory)) + f(l.communication);
}

/** The lines for batch B, or null when the check against predictTargetStep fails. */
function decodeLines(target: EmulationTarget, B: number): DecodeLines | null {
  const parts = (L: number) => {
    const p = analyzeTargetStep(target, { phase: 'decode', contextTokens: new Array<number>(B).fill(L) }).predicted;
    return [p.computeSeconds, p.memorySeconds, p.communicationSeconds] as const;
  };
  const [L1, L2] = [1, 4097];
  const a = parts(L1);
  const b = parts(L2);
  const line = (k: 0 | 1 | 2): [number, number] => {
    const slope = (b[k] - a[k]) / (B * (L2 - L1));
    return [a[k] - slope * B * L1, slope];
  };
  const l: DecodeLines = { compute: line(0), memory: line(1), communication: line(2) };
  for (const contexts of [
    new Array<number>(B).fill(300),
    [...new Array<number>(B - 1).fill(7), 65_000],
    new Array<number>(B).fill(131_071),
  ]) {
    const want = predictTargetStep(target, { phase: 'decode', contextTokens: contexts }).stepSeconds;
    const got = at(
      l,
      contexts.reduce((x, y) => x + y, 0),
    );
    if (Math.abs(got - want) > 1e-9 * Math.abs(want)) return null;
  }
  return l;
}
