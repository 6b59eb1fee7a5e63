import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import type { PlannedStep, Sampler, SequenceRequest, StepRunner } from './types.js';

// A host that runs steps itself (the cluster twin's way) with and without reuseStepArrays: the same plans, the
// same tokens, the same preemption; only whether a decode plan's arrays are new each step differs.

const NO_LOGITS = new Float32Array(0);
const runner: StepRunner = {
  prefill: async () => NO_LOGITS,
  decode: async (b) => b.map(() => NO_LOGITS),
  release: () => {},
};
/** Token = 10 × (first letter's code − 96) + step: a's tokens 10, 11, …; b's 20, 21, … */
const sample: Sampler = (_logits, _params, seqId, step) => 10 * (seqId.charCodeAt(0) - 96) + step;

function request(seqId: string, prompt: number[]): SequenceRequest {
  return {
    seqId,
    promptTokenIds: prompt,
    numPresentTokens: 0,
    maxTokens: 6,
    stopTokenIds: [],
    sampling: { temperature: 0, seed: 0 },
  };
}

function run(reuseStepArrays: boolean) {
  const tokens: string[] = [];
  const preempted: string[] = [];
  // 120 B ÷ 10 B per token = room for 12 tokens of KV: a and b outgrow it while both decode.
  const engine = new Engine(
    { kvBytesCapacity: 120, kvBytesPerToken: 10, maxBatch: 8, maxPrefillTokensPerStep: 1000, reuseStepArrays },
    runner,
    sample,
    {
      onToken: (id, t) => tokens.push(`${id}${t}`),
      onFinish: () => {},
      onPreempt: (id) => preempted.push(id),
    },
  );
  engine.add(request('a', [1, 2]));
  engine.add(request('b', [3, 4]));
  const plans: string[] = [];
  const decodePlans: PlannedStep[] = [];
  for (let i = 0; i < 100 && engine.hasWork; i++) {
    const plan = engine.beginStep();
    if (plan.kind === 'prefill') {
      plans.push(`prefill ${plan.seqId} ${plan.fromToken}..${plan.toToken}`);
      engine.completePrefill(NO_LOGITS);
    } else if (plan.kind === 'decode') {
      // Read before the next beginStep (what reuse requires of a host).
      plans.push(`decode ${plan.batch.map((b) => `${b.seqId}:${b.tokenId}`).join(',')} at ${plan.contextTokens}`);
      decodePlans.push(plan);
      engine.completeDecode(plan.batch.map(() => NO_LOGITS));
    }
  }
  return { plans, tokens, preempted, decodePlans };
}

describe('Engine reuseStepArrays', () => {
  // By hand (12 tokens of room; a decode needs one free token per sequence; the newest is preempted first):
  // a prefills 2 tokens, samples a10; a decodes at 2 (a11); b prefills, samples b20; a, b decode at 3,2 / 4,3 /
  // 5,4 (KV 11 of 12 after); the next decode needs 2 free, 1 is: b (newest) is preempted, a decodes alone at 6
  // and finishes (6 tokens); b recomputes its 2 prompt + 3 generated tokens (all but its pending last, b23),
  // then decodes at 5 and 6 (b24, b25). A decode's batch entry carries the sequence's last token.
  const expected = [
    'prefill a 0..2',
    'decode a:10 at 2',
    'prefill b 0..2',
    'decode a:11,b:20 at 3,2',
    'decode a:12,b:21 at 4,3',
    'decode a:13,b:22 at 5,4',
    'decode a:14 at 6',
    'prefill b 0..5',
    'decode b:23 at 5',
    'decode b:24 at 6',
  ];

  it('plans the same steps with and without reuse', () => {
    const fresh = run(false);
    const reused = run(true);
    expect(fresh.plans).toEqual(expected);
    expect(reused.plans).toEqual(expected);
    expect(reused.tokens).toEqual(fresh.tokens);
    expect(fresh.tokens).toEqual(['a10', 'a11', 'b20', 'a12', 'b21', 'a13', 'b22', 'a14', 'b23', 'a15', 'b24', 'b25']);
    expect(reused.preempted).toEqual(['b']);
    expect(fresh.preempted).toEqual(['b']);
  });

  it('returns one plan object over the same arrays for every decode step only when reusing', () => {
    const reused = run(true).decodePlans;
    const fresh = run(false).decodePlans;
    expect(reused).toHaveLength(7);
    expect(new Set(reused).size).toBe(1);
    expect(new Set(fresh).size).toBe(7);
    // The name's "over the same arrays": the batch and contextTokens arrays too, not only the plan object.
    const arrays = (plans: PlannedStep[], pick: 'batch' | 'contextTokens') =>
      new Set(plans.map((p) => (p.kind === 'decode' ? p[pick] : undefined)));
    expect(arrays(reused, 'batch').size).toBe(1);
    expect(arrays(reused, 'contextTokens').size).toBe(1);
    expect(arrays(fresh, 'batch').size).toBe(7);
    expect(arrays(fresh, 'contextTokens').size).toBe(7);
  });
});
