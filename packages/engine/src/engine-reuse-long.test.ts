import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import type { PlannedStep, Sampler, StepOutcome, StepRunner } from './types.js';

// reuseStepArrays over a long, preemption-heavy run: 60 sequences with different prompts and lengths through an
// engine with room for 40 tokens of KV and batches of up to 6, sequences added and cancelled while a step is in
// flight (between beginStep and its completion), a stop token. Run twice, with and without reuse: every step's
// plan (copied when it is begun and again when it is completed), every outcome and every event must be the same.
// A reused buffer that kept a stale tail, was rewritten while its step was in flight, or changed a decision would
// show here as a difference between the two runs.

const NO_LOGITS = new Float32Array(0);
const runner: StepRunner = {
  prefill: async () => NO_LOGITS,
  decode: async (b) => b.map(() => NO_LOGITS),
  release: () => {},
};
/** Token from the sequence's number and the step: 7 is the stop token (some sequences stop early). */
const sample: Sampler = (_logits, _params, seqId, step) => (Number(seqId.slice(1)) * 13 + step * 5) % 17;

/** A small deterministic generator (Park–Miller), so both runs see the same adds and cancels. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 48271) % 2147483647;
    return x / 2147483647;
  };
}

interface Trace {
  /** One line per step: the plan when begun, the plan when completed, and the outcome. */
  steps: string[];
  events: string[];
  numPreempted: number;
  numCancelled: number;
  maxBatchSeen: number;
  /** Decode steps with a smaller batch than the decode step before. */
  numShrinks: number;
}

function copyPlan(plan: PlannedStep): string {
  return JSON.stringify(plan);
}

function copyOutcome(o: StepOutcome): string {
  return JSON.stringify(o);
}

function run(reuseStepArrays: boolean): Trace {
  const events: string[] = [];
  let numPreempted = 0;
  const engine = new Engine(
    // 250 B ÷ 10 B per token = 25 tokens of KV; a sequence needs at most 2–5 prompt + 2–11 output ≤ 16 tokens.
    { kvBytesCapacity: 250, kvBytesPerToken: 10, maxBatch: 4, maxPrefillTokensPerStep: 5, reuseStepArrays },
    runner,
    sample,
    {
      onToken: (id, t, i) => events.push(`token ${id} ${t} #${i}`),
      onFinish: (id, reason, n) => events.push(`finish ${id} ${reason} ${n}`),
      onPreempt: (id, n) => {
        numPreempted++;
        events.push(`preempt ${id} ${n}`);
      },
    },
  );
  const random = lcg(12345);
  const live: string[] = [];
  let numAdded = 0;
  let numCancelled = 0;
  const addOne = () => {
    const seqId = `s${numAdded++}`;
    const prompt = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, i) => 100 + i);
    const ok = engine.add({
      seqId,
      promptTokenIds: prompt,
      numPresentTokens: 0,
      maxTokens: 2 + Math.floor(random() * 10),
      stopTokenIds: [7],
      sampling: { temperature: 0, seed: 0 },
    });
    expect(ok).toEqual({ ok: true });
    live.push(seqId);
  };
  for (let i = 0; i < 10; i++) addOne();
  const steps: string[] = [];
  let maxBatchSeen = 0;
  let numShrinks = 0;
  let lastBatch = 0;
  for (let i = 0; i < 5000 && (engine.hasWork || numAdded < 60); i++) {
    const plan = engine.beginStep();
    const begun = copyPlan(plan);
    // While the step is in flight: sometimes a new sequence arrives, sometimes one is cancelled.
    if (numAdded < 60 && random() < 0.3) addOne();
    if (live.length > 0 && random() < 0.05) {
      const victim = live.splice(Math.floor(random() * live.length), 1)[0] as string;
      if (engine.cancel(victim)) numCancelled++;
    }
    let outcome: StepOutcome | undefined;
    if (plan.kind === 'prefill') outcome = engine.completePrefill(NO_LOGITS);
    else if (plan.kind === 'decode') {
      maxBatchSeen = Math.max(maxBatchSeen, plan.batch.length);
      if (plan.batch.length < lastBatch) numShrinks++;
      lastBatch = plan.batch.length;
      outcome = engine.completeDecode(plan.batch.map(() => NO_LOGITS));
    }
    steps.push(`${begun} | ${copyPlan(plan)} | ${outcome === undefined ? '-' : copyOutcome(outcome)}`);
  }
  expect(engine.hasWork).toBe(false);
  return { steps, events, numPreempted, numCancelled, maxBatchSeen, numShrinks };
}

describe('Engine reuseStepArrays over a long preemption-heavy run', () => {
  const fresh = run(false);
  const reused = run(true);

  it('is a run that exercises what reuse could break: preemption, cancels in flight, batches that grow and shrink', () => {
    expect(fresh.numPreempted).toBeGreaterThan(10);
    expect(fresh.numCancelled).toBeGreaterThan(0);
    expect(fresh.maxBatchSeen).toBe(4); // the config's maxBatch
    expect(fresh.events.filter((e) => e.startsWith('finish')).length).toBe(60);
    expect(fresh.numShrinks).toBeGreaterThan(10);
    expect(fresh.events.some((e) => / stop \d+$/.test(e))).toBe(true);
  });

  it('plans, completes and emits exactly the same with and without reuse', () => {
    expect(reused.steps).toHaveLength(fresh.steps.length);
    for (let i = 0; i < fresh.steps.length; i++) expect(`${i}: ${reused.steps[i]}`).toBe(`${i}: ${fresh.steps[i]}`);
    expect(reused.events).toEqual(fresh.events);
  });

  it('never changes a step’s plan between beginStep and its completion', () => {
    for (const line of reused.steps) {
      const [begun, completed] = line.split(' | ');
      expect(completed).toBe(begun);
    }
  });
});
