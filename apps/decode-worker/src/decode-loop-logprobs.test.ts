// Log-probabilities through the real decode loop: each sampled token comes with the log-softmax of the
// logits it was drawn from, checked against an independent reference forward pass of the same model.
import { getDevice, unwrap } from '@oicf/core';
import { KernelRunner, microConfig, type TokenLogprob, tokenLogprob } from '@oicf/kernels';
import { realClock } from '@oicf/transport';
import { createWorkerRuntime, samplingFromProto, silentLogger, workerConfigSchema } from '@oicf/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodeLoop } from './decode-loop.js';

const config = workerConfigSchema.parse({
  workerId: 't',
  role: 'decode',
  model: 'micro-gqa',
  maxTokensPerSequence: 64,
});
let loop: DecodeLoop | undefined;
const rt = createWorkerRuntime(config, {
  component: 'decode',
  clock: realClock,
  log: silentLogger,
  thisMachine: unwrap(getDevice('this-machine')),
  onRelease: (id, kv) => loop?.handleRelease(id, kv),
});
const reference = new KernelRunner({ config: microConfig('gqa', { seed: 1, maxPositions: 64 }), intraOpNumThreads: 1 });
afterAll(async () => {
  await loop?.stop();
  await rt.close();
  await reference.close();
});

const PROMPT = Array.from({ length: 9 }, (_, i) => (i * 31 + 5) % 256);

describe('DecodeLoop log-probabilities', () => {
  it('hands each token with its log-softmax and top-3 alternatives, one record per token', async () => {
    loop = new DecodeLoop(rt, { kvCapacityBytes: 1 << 20 });
    loop.start();
    const tokens: number[] = [];
    const logprobs: TokenLogprob[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      const sampling = samplingFromProto({ temperature: 0, logprobs: true, numTopLogprobs: 3 });
      const added = loop?.add(
        { seqId: 's', promptTokenIds: PROMPT, numPresentTokens: 0, maxTokens: 5, stopTokenIds: [], sampling },
        {
          onTokens: (ids, _first, _step, lps) => {
            tokens.push(...ids);
            logprobs.push(...lps);
          },
          onFinish: () => resolve(),
          onError: reject,
        },
      );
      if (!added?.ok) reject(new Error('not added'));
    });
    await finished;
    // The reference: the same model's logits at each position, greedy, and their log-softmax.
    let logits = (await reference.prefill('ref', PROMPT)).logits;
    const expected: TokenLogprob[] = [];
    for (let i = 0; i < 5; i++) {
      const t = logits.indexOf(Math.max(...logits));
      expected.push(tokenLogprob(logits, t, 3));
      if (i < 4) logits = (await reference.decodeStep(['ref'], [t])).logits;
    }
    expect(tokens).toEqual(expected.map((e) => e.tokenId));
    expect(logprobs).toHaveLength(5);
    logprobs.forEach((lp, i) => {
      const want = expected[i] as TokenLogprob;
      expect(lp.tokenId).toBe(want.tokenId);
      expect(lp.logprob).toBeCloseTo(want.logprob, 4);
      // Greedy: the sampled token is the most likely one, so it heads its own top list.
      expect(lp.topLogprobs[0]?.tokenId).toBe(lp.tokenId);
      expect(lp.topLogprobs.map((t) => t.tokenId)).toEqual(want.topLogprobs.map((t) => t.tokenId));
    });
  });
});
