// A migrated request (a decode worker died mid-stream): added again with the tokens already generated, the
// sequence continues exactly where an uninterrupted one would have, with the same generation indexes.
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import type { Sampler, SequenceRequest, StepRunner } from './types.js';

const VOCAB = 50;

/** A fake model: next-token argmax = (Σ history) mod VOCAB; it fails when asked to prefill out of order. */
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

async function run(req: SequenceRequest, preset?: number[]) {
  const runner = new FakeRunner();
  if (preset !== undefined) runner.kv.set(req.seqId, preset);
  const tokens: Array<[number, number]> = [];
  const indexes: number[] = [];
  let finished: [string, number] | undefined;
  // The sampler sees each token's generation index: a migrated sequence must draw index 2 as index 2.
  const greedy: Sampler = (logits, _p, _id, step) => {
    indexes.push(step);
    return logits.indexOf(Math.max(...logits));
  };
  const engine = new Engine(
    { kvBytesCapacity: 1e6, kvBytesPerToken: 10, maxBatch: 8, maxPrefillTokensPerStep: 1000 },
    runner,
    greedy,
    {
      onToken: (_id, t, index) => tokens.push([index, t]),
      onFinish: (_id, reason, n) => {
        finished = [reason, n];
      },
    },
  );
  const added = engine.add(req);
  for (let i = 0; i < 100 && engine.hasWork; i++) await engine.step();
  return { added, tokens, indexes, finished, calls: runner.calls };
}

const base = {
  seqId: 'a',
  promptTokenIds: [1, 2, 3],
  numPresentTokens: 0,
  maxTokens: 4,
  stopTokenIds: [],
  sampling: { temperature: 0, seed: 1 },
};

describe('Engine resumed sequences', () => {
  it('continues after the tokens another worker generated: same tokens, same indexes, maxTokens counts them', async () => {
    // Uninterrupted: history 1,2,3 → 6; 12; 24; 48 (each Σ history mod 50).
    const whole = await run(base);
    expect(whole.tokens).toEqual([
      [0, 6],
      [1, 12],
      [2, 24],
      [3, 48],
    ]);
    // Migrated after 6, 12: prompt + [6] is prefilled (the pending 12 is decoded), then 24 at index 2, 48 at 3.
    const resumed = await run({ ...base, resumedTokenIds: [6, 12] });
    expect(resumed.calls).toEqual(['prefill a 0..4']);
    expect(resumed.tokens).toEqual([
      [2, 24],
      [3, 48],
    ]);
    expect(resumed.indexes).toEqual([2, 3]);
    expect(resumed.finished).toEqual(['length', 4]);
  });

  it('with the prompt KV present (from the pool) it prefills only the generated tokens but the last', async () => {
    const resumed = await run({ ...base, numPresentTokens: 3, resumedTokenIds: [6, 12, 24] }, [1, 2, 3]);
    expect(resumed.calls).toEqual(['prefill a 3..5']);
    expect(resumed.tokens).toEqual([[3, 48]]);
  });

  it('refuses a resume with nothing left to generate, or with a first token', async () => {
    expect((await run({ ...base, resumedTokenIds: [6, 12, 24, 48] })).added).toMatchObject({ ok: false });
    expect((await run({ ...base, resumedTokenIds: [6], firstTokenId: 6, numPresentTokens: 3 })).added).toMatchObject({
      ok: false,
    });
  });
});
