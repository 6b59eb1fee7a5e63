import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import type { EngineConfig, FinishReason, Sampler, SequenceRequest, StepRunner } from './types.js';

const VOCAB = 50;

/**
 * A fake model whose next-token logits depend on the whole token history it holds as "KV":
 * argmax = (Σ history) mod VOCAB. It checks the engine's KV bookkeeping: prefill must start where
 * the stored history ends, and decode appends exactly one token.
 */
class FakeRunner implements StepRunner {
  readonly kv = new Map<string, number[]>();
  readonly calls: string[] = [];
  async prefill(seqId: string, tokenIds: readonly number[], fromToken: number): Promise<Float32Array> {
    const have = this.kv.get(seqId) ?? [];
    if (have.length !== fromToken) throw new Error(`prefill ${seqId} from ${fromToken} but KV holds ${have.length}`);
    const next = [...have, ...tokenIds.slice(fromToken)];
    this.kv.set(seqId, next);
    this.calls.push(`prefill ${seqId} ${fromToken}..${tokenIds.length}`);
    return logitsFor(next);
  }
  async decode(batch: readonly { seqId: string; tokenId: number }[]): Promise<Float32Array[]> {
    this.calls.push(`decode ${batch.map((b) => b.seqId).join(',')}`);
    return batch.map(({ seqId, tokenId }) => {
      const next = [...(this.kv.get(seqId) ?? []), tokenId];
      this.kv.set(seqId, next);
      return logitsFor(next);
    });
  }
  release(seqId: string): void {
    this.kv.delete(seqId);
  }
}

function logitsFor(history: number[]): Float32Array {
  const out = new Float32Array(VOCAB);
  out[history.reduce((a, b) => a + b, 0) % VOCAB] = 1;
  return out;
}

const greedy: Sampler = (logits) => logits.indexOf(Math.max(...logits));

function seq(seqId: string, prompt: number[], over: Partial<SequenceRequest> = {}): SequenceRequest {
  return {
    seqId,
    promptTokenIds: prompt,
    numPresentTokens: 0,
    maxTokens: 4,
    stopTokenIds: [],
    sampling: { temperature: 0, seed: 1 },
    ...over,
  };
}

function harness(config: Partial<EngineConfig> = {}) {
  const runner = new FakeRunner();
  const tokens = new Map<string, number[]>();
  const finished = new Map<string, FinishReason>();
  const preempted: string[] = [];
  const engine = new Engine(
    { kvBytesCapacity: 1e6, kvBytesPerToken: 10, maxBatch: 8, maxPrefillTokensPerStep: 1000, ...config },
    runner,
    greedy,
    {
      onToken: (id, t) => tokens.set(id, [...(tokens.get(id) ?? []), t]),
      onFinish: (id, reason) => finished.set(id, reason),
      onPreempt: (id) => preempted.push(id),
    },
  );
  const drain = async () => {
    for (let i = 0; i < 1000 && engine.hasWork; i++) await engine.step();
  };
  return { engine, runner, tokens, finished, preempted, drain };
}

describe('Engine', () => {
  it('generates the fake model’s tokens: each is Σ history mod 50', async () => {
    const h = harness();
    h.engine.add(seq('a', [1, 2, 3]));
    await h.drain();
    // history 1,2,3 → 6; then 1+2+3+6 = 12; then 24; then 48.
    expect(h.tokens.get('a')).toEqual([6, 12, 24, 48]);
    expect(h.finished.get('a')).toBe('length');
    expect(h.runner.kv.size).toBe(0);
  });

  it('stops at a stop token', async () => {
    const h = harness();
    h.engine.add(seq('a', [1, 2, 3], { stopTokenIds: [12] }));
    await h.drain();
    expect(h.tokens.get('a')).toEqual([6, 12]);
    expect(h.finished.get('a')).toBe('stop');
  });

  it('continues a remotely prefilled sequence from its first token without recomputing the prompt', async () => {
    const h = harness();
    // The prefill worker computed KV for [1,2,3] and sampled 6; the decode worker imported the KV.
    h.runner.kv.set('a', [1, 2, 3]);
    h.engine.add(seq('a', [1, 2, 3], { numPresentTokens: 3, firstTokenId: 6 }));
    await h.drain();
    expect(h.tokens.get('a')).toEqual([6, 12, 24, 48]);
    expect(h.runner.calls.some((c) => c.startsWith('prefill'))).toBe(false);
  });

  it('prefills only the uncached suffix when part of the prompt KV is present', async () => {
    const h = harness();
    h.runner.kv.set('a', [1, 2]);
    h.engine.add(seq('a', [1, 2, 3], { numPresentTokens: 2, maxTokens: 1 }));
    await h.drain();
    expect(h.runner.calls[0]).toBe('prefill a 2..3');
    expect(h.tokens.get('a')).toEqual([6]);
  });

  it('batches running sequences together and lets new ones join between steps', async () => {
    const h = harness();
    h.engine.add(seq('a', [1], { maxTokens: 3 }));
    await h.engine.step(); // prefill a
    await h.engine.step(); // decode a
    h.engine.add(seq('b', [2], { maxTokens: 3 }));
    await h.drain();
    expect(h.runner.calls).toEqual(['prefill a 0..1', 'decode a', 'prefill b 0..1', 'decode a,b', 'decode b']);
  });

  it('chunks long prefills and alternates them with decode steps', async () => {
    const h = harness({ maxPrefillTokensPerStep: 2 });
    h.engine.add(seq('a', [1], { maxTokens: 4 }));
    await h.engine.step();
    h.engine.add(seq('b', [1, 1, 1, 1, 1], { maxTokens: 1 }));
    await h.drain();
    // a's prefill was the last step, so a decode comes first; then prefill chunks of 2 tokens
    // alternate with a's decodes (a needs 3 decodes after its first token).
    expect(h.runner.calls).toEqual([
      'prefill a 0..1',
      'decode a',
      'prefill b 0..2',
      'decode a',
      'prefill b 2..4',
      'decode a',
      'prefill b 4..5',
    ]);
  });

  it('admits only what fits in KV memory and queues the rest', async () => {
    // 10 B/token, capacity 100 B = 10 tokens. a: 5-token prompt + 3 out; b waits until a frees its KV.
    const h = harness({ kvBytesCapacity: 100 });
    expect(h.engine.add(seq('a', [1, 1, 1, 1, 1], { maxTokens: 3 })).ok).toBe(true);
    expect(h.engine.add(seq('b', [2, 2, 2, 2, 2], { maxTokens: 3 })).ok).toBe(true);
    await h.engine.step();
    expect(h.engine.numRunning).toBe(1);
    expect(h.engine.numWaiting).toBe(1);
    expect(h.engine.kvBytesUsed).toBe(50);
    await h.drain();
    expect([...h.finished.keys()]).toEqual(['a', 'b']);
  });

  it('preempts the newest sequence when decode outgrows memory and recomputes it to the same tokens', async () => {
    const reference = harness();
    reference.engine.add(seq('a', [1, 2], { maxTokens: 6 }));
    reference.engine.add(seq('b', [3, 4], { maxTokens: 6 }));
    await reference.drain();
    // 12 tokens of room: both admitted at 3 tokens each, but together they grow past 12.
    const tight = harness({ kvBytesCapacity: 120 });
    tight.engine.add(seq('a', [1, 2], { maxTokens: 6 }));
    tight.engine.add(seq('b', [3, 4], { maxTokens: 6 }));
    await tight.drain();
    expect(tight.preempted).toContain('b');
    expect(tight.tokens.get('a')).toEqual(reference.tokens.get('a'));
    expect(tight.tokens.get('b')).toEqual(reference.tokens.get('b'));
  });

  it('rejects sequences that can never fit, duplicates and inconsistent KV claims as values', () => {
    const h = harness({ kvBytesCapacity: 100 });
    expect(h.engine.add(seq('a', [1, 2, 3], { maxTokens: 8 }))).toEqual({
      ok: false,
      reason: 'the sequence needs up to 110 KV bytes; capacity is 100',
    });
    expect(h.engine.add(seq('b', [1]))).toEqual({ ok: true });
    expect(h.engine.add(seq('b', [1])).ok).toBe(false);
    expect(h.engine.add(seq('c', [1, 2], { numPresentTokens: 1, firstTokenId: 3 })).ok).toBe(false);
    expect(h.engine.add(seq('d', [])).ok).toBe(false);
  });

  it('cancel frees the KV and reports cancelled', async () => {
    const h = harness();
    h.engine.add(seq('a', [1, 2, 3], { maxTokens: 100 }));
    await h.engine.step();
    expect(h.engine.cancel('a')).toBe(true);
    expect(h.finished.get('a')).toBe('cancelled');
    expect(h.runner.kv.has('a')).toBe(false);
    expect(h.engine.hasWork).toBe(false);
    expect(h.engine.cancel('a')).toBe(false);
  });

  it('a host that runs steps itself (beginStep → complete) gets the same steps and tokens as step()', async () => {
    const reference = harness({ maxPrefillTokensPerStep: 2 });
    const manual = harness({ maxPrefillTokensPerStep: 2 });
    for (const h of [reference, manual]) {
      h.engine.add(seq('a', [1, 2, 3], { maxTokens: 3 }));
      h.engine.add(seq('b', [4], { maxTokens: 2 }));
    }
    await reference.drain();
    const plans: string[] = [];
    for (let i = 0; i < 100 && manual.engine.hasWork; i++) {
      const plan = manual.engine.beginStep();
      if (plan.kind === 'prefill') {
        plans.push(`prefill ${plan.seqId} ${plan.fromToken}..${plan.toToken}`);
        // The host computes the chunk on its own runner: here the same fake, given the prompt's tokens.
        const prompt = plan.seqId === 'a' ? [1, 2, 3] : [4];
        manual.engine.completePrefill(
          await manual.runner.prefill(plan.seqId, prompt.slice(0, plan.toToken), plan.fromToken),
        );
      } else if (plan.kind === 'decode') {
        plans.push(`decode ${plan.batch.map((b) => b.seqId).join(',')} at ${plan.contextTokens.join(',')}`);
        manual.engine.completeDecode(await manual.runner.decode(plan.batch));
      }
    }
    expect(manual.runner.calls).toEqual(reference.runner.calls);
    expect([...manual.tokens]).toEqual([...reference.tokens]);
    // Both admitted at once; a (3 tokens) prefills in chunks of 2 and samples its first token at 2..3; a
    // prefill is followed by a decode when one runs (a at 3 tokens of KV); then b's prefill; then a and b
    // together (a at 4, b at 1), which gives a its 3rd token and b its 2nd: both finish (max 3 and 2).
    expect(plans).toEqual(['prefill a 0..2', 'prefill a 2..3', 'decode a at 3', 'prefill b 0..1', 'decode a,b at 4,1']);
  });

  it('refuses to begin a step before the one in flight is completed, and a completion without one', () => {
    const h = harness();
    h.engine.add(seq('a', [1]));
    expect(h.engine.beginStep().kind).toBe('prefill');
    expect(() => h.engine.beginStep()).toThrow(/previous step is not completed/);
    expect(() => h.engine.completeDecode([])).toThrow(/no decode step is in flight/);
  });
});
