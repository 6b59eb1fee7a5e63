import { getDevice, unwrap } from '@oicf/core';
import type { FinishReason } from '@oicf/engine';
import { KernelRunner, microConfig } from '@oicf/kernels';
import { realClock } from '@oicf/transport';
import { CpuMeter, createWorkerRuntime, silentLogger, type WorkerRuntime, workerConfigSchema } from '@oicf/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodeLoop, type DecodeLoopPart, type LoopTimes, type SequenceSink } from './decode-loop.js';

// micro-gqa: 2 layers × 2 (K, V) × 2 kv heads × 16 dims × 4 B = 512 KV bytes per token.
const BPT = 512;
const runtimes: WorkerRuntime[] = [];
function runtime(over: Record<string, unknown>): WorkerRuntime {
  const config = workerConfigSchema.parse({
    workerId: 't',
    role: 'decode',
    model: 'micro-gqa',
    maxTokensPerSequence: 256,
    ...over,
  });
  let loop: DecodeLoop | undefined;
  const rt = createWorkerRuntime(config, {
    component: 'decode',
    clock: realClock,
    log: silentLogger,
    thisMachine: unwrap(getDevice('this-machine')),
    onRelease: (id, kv) => loop?.handleRelease(id, kv),
  });
  runtimes.push(rt);
  return Object.assign(rt, { attach: (l: DecodeLoop) => (loop = l) });
}
const reference = new KernelRunner({
  config: microConfig('gqa', { seed: 1, maxPositions: 256 }),
  intraOpNumThreads: 1,
});
afterAll(async () => {
  for (const rt of runtimes) await rt.close();
  await reference.close();
});

async function greedy(prompt: number[], n: number): Promise<number[]> {
  let logits = (await reference.prefill('ref', prompt)).logits;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = logits.indexOf(Math.max(...logits));
    out.push(t);
    if (i < n - 1) logits = (await reference.decodeStep(['ref'], [t])).logits;
  }
  reference.release('ref');
  return out;
}

function collect() {
  const tokens: number[] = [];
  const steps: number[] = [];
  let done: (r: FinishReason) => void = () => {};
  const finished = new Promise<FinishReason>((r) => {
    done = r;
  });
  const sink: SequenceSink = {
    onTokens: (ids, _first, stepSeconds) => {
      tokens.push(...ids);
      steps.push(stepSeconds);
    },
    onFinish: (reason) => done(reason),
    onError: (e) => {
      throw e;
    },
  };
  return { tokens, steps, finished, sink };
}

const PROMPT_A = Array.from({ length: 10 }, (_, i) => (i * 17 + 3) % 256);
const PROMPT_B = Array.from({ length: 10 }, (_, i) => (i * 29 + 8) % 256);

describe('DecodeLoop', () => {
  it('batches two sequences, preempts the newest when KV runs out, recomputes it, and both match greedy', async () => {
    // 40 tokens of KV: both 10-token prompts are admitted, then 2 tokens per decode step fill it
    // (worst case per sequence 10 + 15 = 25 ≤ 40, so each alone always fits): the newer one is
    // preempted, recomputed from its tokens once room returns, and still yields its greedy tokens.
    const rt = runtime({ kvCapacityBytes: 40 * BPT, maxBatch: 4 }) as WorkerRuntime & {
      attach: (l: DecodeLoop) => void;
    };
    let preempted = 0;
    const finishedKv: Array<[string, number]> = [];
    const loop = new DecodeLoop(rt, {
      kvCapacityBytes: 40 * BPT,
      onPreempt: () => preempted++,
      onFinished: (id, tokens, kv) => finishedKv.push([id, Math.min(kv.numTokens, tokens.length)]),
    });
    rt.attach(loop);
    loop.start();
    const a = collect();
    const b = collect();
    const sampling = { temperature: 0, seed: 0 };
    expect(
      loop.add(
        { seqId: 'a', promptTokenIds: PROMPT_A, numPresentTokens: 0, maxTokens: 15, stopTokenIds: [], sampling },
        a.sink,
      ),
    ).toEqual({ ok: true });
    expect(
      loop.add(
        { seqId: 'b', promptTokenIds: PROMPT_B, numPresentTokens: 0, maxTokens: 15, stopTokenIds: [], sampling },
        b.sink,
      ),
    ).toEqual({ ok: true });
    expect(await a.finished).toBe('length');
    expect(await b.finished).toBe('length');
    expect(preempted).toBeGreaterThanOrEqual(1);
    expect(a.tokens).toEqual(await greedy(PROMPT_A, 15));
    expect(b.tokens).toEqual(await greedy(PROMPT_B, 15));
    // Each finished with KV for prompt + 14 tokens (the 15th token has none yet).
    expect(finishedKv.sort()).toEqual([
      ['a', 24],
      ['b', 24],
    ]);
    await loop.stop();
  });

  it('under emulation every decode step takes at least the target’s predicted step time', async () => {
    const rt = runtime({ emulate: 'llama-3.1-70b@h100' }) as WorkerRuntime & { attach: (l: DecodeLoop) => void };
    // Capacity in the tiny model's bytes: 545,936 tokens (see emulation.test.ts) × 512 bytes.
    expect(rt.kvCapacityBytes).toBe(545_936 * BPT);
    const loop = new DecodeLoop(rt, { kvCapacityBytes: rt.kvCapacityBytes });
    rt.attach(loop);
    loop.start();
    const s = collect();
    loop.add(
      {
        seqId: 'e',
        promptTokenIds: PROMPT_A,
        numPresentTokens: 0,
        maxTokens: 5,
        stopTokenIds: [],
        sampling: { temperature: 0, seed: 0 },
      },
      s.sink,
    );
    expect(await s.finished).toBe('length');
    // 70B on 4 × H100 reads ≥ 141.1e9 / 4 bytes per device per step at 3.35 TB/s: ≥ 10.53 ms, while
    // a micro-model step takes well under a millisecond, so pacing sets the step time.
    const decodeSteps = s.steps.slice(1);
    expect(decodeSteps).toHaveLength(4);
    for (const seconds of decodeSteps) expect(seconds).toBeGreaterThanOrEqual(141_107_412_992 / 4 / 3.35e12);
    const slept = (await rt.wm.emulationSleep.get()).values.find((v) => v.labels.kind === 'step')?.value ?? 0;
    // The sleeps made up the difference: positive, and no more than the paced steps' total.
    expect(slept).toBeGreaterThan(0);
    expect(slept).toBeLessThanOrEqual(s.steps.reduce((a, b) => a + b, 0));
    await loop.stop();
  });

  it('measures the time between steps (flush, loop turn) and a joined sequence’s wait for its first step', async () => {
    const rt = runtime({}) as WorkerRuntime & { attach: (l: DecodeLoop) => void };
    const times: LoopTimes[] = [];
    const waits: Array<[string, number]> = [];
    const loop = new DecodeLoop(rt, {
      kvCapacityBytes: rt.kvCapacityBytes,
      onLoopTimes: (t) => times.push(t),
      onFirstStep: (id, w) => waits.push([id, w]),
    });
    rt.attach(loop);
    // 'r' arrives as after a remote prefill: its whole prompt's KV is in the runner, its first token given.
    await rt.steps.prefillDirect('r', PROMPT_B, 0);
    const BUSY_SECONDS = 0.005;
    const busy = () => {
      const until = performance.now() + BUSY_SECONDS * 1000;
      while (performance.now() < until) {}
    };
    const a = collect();
    const r = collect();
    const sampling = { temperature: 0, seed: 0 };
    let joined = false;
    // a's sink takes 5 ms per flush; at its first token it adds 'r' first, so r's wait covers that flush.
    const slowSink: SequenceSink = {
      ...a.sink,
      onTokens: (ids, first, stepSeconds, lp) => {
        a.sink.onTokens(ids, first, stepSeconds, lp);
        if (!joined) {
          joined = true;
          loop.add(
            {
              seqId: 'r',
              promptTokenIds: PROMPT_B,
              numPresentTokens: PROMPT_B.length,
              firstTokenId: 7,
              maxTokens: 3,
              stopTokenIds: [],
              sampling,
            },
            r.sink,
          );
        }
        busy();
      },
    };
    loop.start();
    loop.add(
      { seqId: 'a', promptTokenIds: PROMPT_A, numPresentTokens: 0, maxTokens: 4, stopTokenIds: [], sampling },
      slowSink,
    );
    expect(await a.finished).toBe('length');
    expect(await r.finished).toBe('length');
    // a: 1 prefill + 3 decode steps; r joins after a's prefill and decodes 2 tokens beside a (its first is
    // given). Every step but the last is followed by a measured turn; the last one by the idle wait (not one).
    expect(times[0]).toMatchObject({ phase: 'prefill', batch: 1 });
    expect(times.some((t) => t.phase === 'decode' && t.batch === 2)).toBe(true);
    // Every flush that reached a's sink took its 5 ms busy wait (a gets tokens after every step it is in).
    for (const t of times) expect(t.flushSeconds).toBeGreaterThanOrEqual(BUSY_SECONDS);
    for (const t of times) expect(t.turnSeconds).toBeGreaterThanOrEqual(0);
    // r joined inside a's first flush, before its 5 ms busy wait: its first step started after it.
    expect(waits).toHaveLength(1);
    expect(waits[0]?.[0]).toBe('r');
    expect(waits[0]?.[1]).toBeGreaterThanOrEqual(BUSY_SECONDS);
    await loop.stop();
  });

  it('charges its CPU meter part by part: the turn before a step, the step, its pacing, its flush, the idle wait', async () => {
    const rt = runtime({}) as WorkerRuntime & { attach: (l: DecodeLoop) => void };
    const parts: DecodeLoopPart[] = [];
    const wallByPart = new Map<DecodeLoopPart, number>();
    const meter = new CpuMeter<DecodeLoopPart>((part, _user, _system, wall) => {
      parts.push(part);
      wallByPart.set(part, (wallByPart.get(part) ?? 0) + wall);
    });
    const loop = new DecodeLoop(rt, { kvCapacityBytes: rt.kvCapacityBytes, cpu: meter });
    rt.attach(loop);
    const BUSY_SECONDS = 0.005;
    const a = collect();
    // The sink busy-waits 5 ms for each step's tokens: that time belongs to the flush, not the step or the turn.
    const slowSink: SequenceSink = {
      ...a.sink,
      onTokens: (ids, first, stepSeconds, lp) => {
        a.sink.onTokens(ids, first, stepSeconds, lp);
        const until = performance.now() + BUSY_SECONDS * 1000;
        while (performance.now() < until) {}
      },
    };
    loop.start();
    loop.add(
      {
        seqId: 'a',
        promptTokenIds: PROMPT_A,
        numPresentTokens: 0,
        maxTokens: 2,
        stopTokenIds: [],
        sampling: { temperature: 0, seed: 0 },
      },
      slowSink,
    );
    expect(await a.finished).toBe('length');
    await loop.stop();
    // Started idle (no work), then 2 steps (the prefill, whose token is the first, and one decode step), each
    // turn → step → pace → flush; after the last the loop may wait idle again before stop ends it.
    // The first step follows the idle wait (a step_after_wait); the second follows a step that did not sleep (no
    // emulation: no pacing), so it is a plain step.
    expect(parts.slice(0, 9)).toEqual([
      'idle',
      'turn',
      'step_after_wait',
      'pace',
      'flush',
      'turn',
      'step',
      'pace',
      'flush',
    ]);
    expect(parts.slice(9).every((p) => p === 'idle')).toBe(true);
    // Two flushes, each with its sink's 5 ms busy wait.
    expect(wallByPart.get('flush')).toBeGreaterThanOrEqual(2 * BUSY_SECONDS);
  });

  it('charges a step that throws to its own part, not to the idle wait after it', async () => {
    const rt = runtime({}) as WorkerRuntime & { attach: (l: DecodeLoop) => void };
    // The meter's ports: process CPU and wall advance only inside the failing step (3 ms user, 1 ms system, 2 s).
    let cpu = { user: 0, system: 0 };
    let nowSeconds = 100;
    const got: Array<[DecodeLoopPart, number, number, number]> = [];
    const meter = new CpuMeter<DecodeLoopPart>(
      (part, user, system, wall) => got.push([part, user, system, wall]),
      () => cpu,
      () => nowSeconds,
    );
    const loop = new DecodeLoop(rt, { kvCapacityBytes: rt.kvCapacityBytes, cpu: meter });
    rt.attach(loop);
    loop.engine.step = async () => {
      cpu = { user: 3_000, system: 1_000 };
      nowSeconds += 2;
      throw new Error('a kernel failed');
    };
    let failed: (e: Error) => void = () => {};
    const error = new Promise<Error>((r) => {
      failed = r;
    });
    loop.start();
    loop.add(
      {
        seqId: 'f',
        promptTokenIds: PROMPT_A,
        numPresentTokens: 0,
        maxTokens: 2,
        stopTokenIds: [],
        sampling: { temperature: 0, seed: 0 },
      },
      { onTokens: () => {}, onFinish: () => {}, onError: (e) => failed(e) },
    );
    expect((await error).message).toMatch(/decode step failed: .*a kernel failed/);
    await loop.stop();
    // Idle (no work yet), the turn, then the step that threw (after the idle wait: a step_after_wait) with all of
    // its 3 ms user + 1 ms system CPU and 2 s of wall; whatever follows (the idle wait) is charged nothing.
    expect(got.slice(0, 3).map(([p]) => p)).toEqual(['idle', 'turn', 'step_after_wait']);
    expect(got[2]?.[1]).toBeCloseTo(0.003, 12);
    expect(got[2]?.[2]).toBeCloseTo(0.001, 12);
    expect(got[2]?.[3]).toBeCloseTo(2, 12);
    for (const [part, user, system, wall] of got.slice(3)) {
      expect([part, user, system, wall]).toEqual([part, 0, 0, 0]);
    }
  });

  it('does not count a migrated sequence as a remote prefill’s first-step wait (its first step is a prefill)', async () => {
    const rt = runtime({}) as WorkerRuntime & { attach: (l: DecodeLoop) => void };
    const waits: Array<[string, number]> = [];
    const loop = new DecodeLoop(rt, {
      kvCapacityBytes: rt.kvCapacityBytes,
      onFirstStep: (id, w) => waits.push([id, w]),
    });
    rt.attach(loop);
    // 'm' migrated: its prompt's KV is here, and two tokens it generated elsewhere are computed here first.
    await rt.steps.prefillDirect('m', PROMPT_B, 0);
    const m = collect();
    loop.start();
    const sampling = { temperature: 0, seed: 0 };
    const resumedTokenIds = [5, 6];
    loop.add(
      {
        seqId: 'm',
        promptTokenIds: PROMPT_B,
        numPresentTokens: PROMPT_B.length,
        resumedTokenIds,
        maxTokens: 4,
        stopTokenIds: [],
        sampling,
      },
      m.sink,
    );
    expect(await m.finished).toBe('length');
    expect(m.tokens).toHaveLength(2); // 4 − the 2 resumed: it did run decode steps after its prefill
    expect(waits).toEqual([]);
    await loop.stop();
  });
});
