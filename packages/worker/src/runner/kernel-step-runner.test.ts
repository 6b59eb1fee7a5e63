import { Engine } from '@oicf/engine';
import { KernelRunner, microConfig, type SequenceKv } from '@oicf/kernels';
import { afterAll, describe, expect, it } from 'vitest';
import { workerSampler } from '../sampling/sampler.js';
import { KernelStepRunner } from './kernel-step-runner.js';

const config = microConfig('gqa');
const kernel = new KernelRunner({ config, intraOpNumThreads: 1, maxTokensPerSequence: 128 });
const reference = new KernelRunner({ config, intraOpNumThreads: 1, maxTokensPerSequence: 128 });
afterAll(async () => {
  await kernel.close();
  await reference.close();
});

const PROMPT = Array.from({ length: 20 }, (_, i) => (i * 13 + 5) % 256);

/** Greedy tokens straight from a KernelRunner: prefill, then one decode step per token. */
async function greedyReference(prompt: number[], n: number): Promise<number[]> {
  const out: number[] = [];
  let logits = (await reference.prefill('ref', prompt)).logits;
  for (let i = 0; i < n; i++) {
    const next = logits.indexOf(Math.max(...logits));
    out.push(next);
    logits = (await reference.decodeStep(['ref'], [next])).logits;
  }
  reference.release('ref');
  return out;
}

describe('KernelStepRunner drives the engine on the real kernels', () => {
  it('engine tokens (chunked prefill, batched decode) equal a plain greedy loop; release hands over the KV', async () => {
    const released: Array<[string, number | undefined]> = [];
    const adapter = new KernelStepRunner(kernel, {
      defaultMaxTokens: 64,
      onRelease: (id, kv: SequenceKv | undefined) => released.push([id, kv?.numTokens]),
    });
    const tokens = new Map<string, number[]>();
    const engine = new Engine(
      { kvBytesCapacity: 1e9, kvBytesPerToken: 512, maxBatch: 4, maxPrefillTokensPerStep: 8 },
      adapter,
      workerSampler,
      {
        onToken: (id, t) => tokens.set(id, [...(tokens.get(id) ?? []), t]),
        onFinish: () => {},
      },
    );
    const sampling = { temperature: 0, seed: 1 };
    adapter.reserve('a', PROMPT.length + 6);
    engine.add({ seqId: 'a', promptTokenIds: PROMPT, numPresentTokens: 0, maxTokens: 6, stopTokenIds: [], sampling });
    engine.add({
      seqId: 'b',
      promptTokenIds: PROMPT.slice(0, 9),
      numPresentTokens: 0,
      maxTokens: 6,
      stopTokenIds: [],
      sampling,
    });
    let steps = 0;
    let sawDecodeStats = false;
    while (engine.hasWork) {
      const outcome = await engine.step();
      const stats = adapter.takeEngineStep();
      if (outcome.kind !== 'idle') expect(stats?.phase).toBe(outcome.kind);
      if (outcome.kind === 'decode' && stats?.batch === 2) sawDecodeStats = true;
      expect(adapter.takeEngineStep()).toBeUndefined();
      steps++;
    }
    expect(tokens.get('a')).toEqual(await greedyReference(PROMPT, 6));
    expect(tokens.get('b')).toEqual(await greedyReference(PROMPT.slice(0, 9), 6));
    expect(sawDecodeStats).toBe(true);
    // 20-token prompt in chunks of ≤ 8 tokens: 3 prefill chunks; the 9-token prompt: 2.
    expect(steps).toBeGreaterThanOrEqual(5 + 5);
    // Both finished by length after 6 tokens: KV holds prompt + 5 (the last token has no KV yet).
    expect(released.sort()).toEqual([
      ['a', 25],
      ['b', 14],
    ]);
    expect(kernel.contextLength('a')).toBe(0);
  });

  it('prefillDirect refuses to start anywhere but the cached length', async () => {
    const adapter = new KernelStepRunner(kernel, { defaultMaxTokens: 64 });
    await adapter.prefillDirect('x', PROMPT, 0);
    await expect(adapter.prefillDirect('x', [...PROMPT, 1, 2], 3)).rejects.toThrow(
      /start at token 3 but the runner holds 20/,
    );
    adapter.release('x');
  });

  it('exclusive runs calls one at a time in order', async () => {
    const adapter = new KernelStepRunner(kernel, { defaultMaxTokens: 64 });
    const log: string[] = [];
    const job = (name: string, ms: number) => () =>
      new Promise<void>((resolve) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          resolve();
        }, ms);
      });
    await Promise.all([adapter.exclusive(job('a', 20)), adapter.exclusive(job('b', 1))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('probes an engine step’s traffic at most every trafficEverySeconds, on the graph it last ran', async () => {
    let now = 0;
    const adapter = new KernelStepRunner(kernel, {
      defaultMaxTokens: 64,
      trafficEverySeconds: 10,
      nowSeconds: () => now,
    });
    await adapter.prefillDirect('t', PROMPT, 0);
    const step = async (token: number) => {
      await adapter.decode([{ seqId: 't', tokenId: token }]);
      return adapter.takeEngineStep();
    };
    now = 5; // not due: 5 s since the adapter started
    expect((await step(1))?.traffic).toBeUndefined();
    now = 11; // due: this step arms a probe of its graph (decode, batch 1)
    expect((await step(2))?.traffic).toBeUndefined();
    await kernel.armTrafficProbe(); // same graph: resolves once the probe session is ready
    const probed = await step(3);
    expect(probed?.traffic?.movedBytes).toBeGreaterThan(0);
    expect(probed?.measuredIntensityFlopsPerByte).toBeGreaterThan(0);
    now = 15; // 4 s after arming: not due again
    expect((await step(4))?.traffic).toBeUndefined();
    adapter.release('t');
  });
});
