// The local cluster's shared cores in the twin, derived by hand: the hand cluster (testing/hand-cluster.ts:
// prefill of t tokens 0.010 + 0.001·t s, a decode step of B sequences 0.005 + 0.001·B s) with no worker
// links and an instant host (no message latencies, loopback 1 PB/s), so only the steps take time. Two
// requests: A at 0 (10 tokens, 3 out), B at 0.025 (10 tokens, other blocks, 1 out). Every step demands 2
// threads: on 2 cores each step holds both, so the host's default per-core scheduling and processor sharing
// give the same times (core/host-cpu.test.ts and the last test here tell them apart).

import type { StepTimeModel } from '@oicf/core';
import { describe, expect, it } from 'vitest';
import type { SimCluster } from '../cluster/sim-cluster.js';
import { HAND_CLUSTER, HAND_REQUESTS, HAND_STEPS } from '../testing/hand-cluster.js';
import { simulate } from './simulate.js';

/** An emulated target 3× slower than the hand kernels: the pacer sleeps to it after the kernel. */
const TARGET_3X: StepTimeModel = { kind: 'oicf', label: 'target', stepSeconds: (s) => 3 * HAND_STEPS.stepSeconds(s) };

const onHost = (cores: number, emulated = false): SimCluster => ({
  ...HAND_CLUSTER,
  workers: HAND_CLUSTER.workers.map((w) => ({
    ...w,
    link: undefined,
    ...(emulated ? { stepTime: TARGET_3X, computeTime: HAND_STEPS } : {}),
  })),
  host: {
    httpSeconds: 0,
    rpcSeconds: 0,
    loopback: { bandwidthBytesPerSecond: 1e15, latencySeconds: 0 },
    kvBytesPerToken: 1,
    cores,
    threadsPerStep: 2,
    label: `test host, ${cores} cores`,
  },
});
const [R1] = HAND_REQUESTS;
if (R1 === undefined) throw new Error('hand requests missing');
const requests = [
  { ...R1, requestId: 'A', arrivalSeconds: 0 },
  { ...R1, requestId: 'B', arrivalSeconds: 0.025, blockHashes: [5, 6, 7], outputTokens: 1 },
];

describe('the shared host (the workers’ steps share the cores)', () => {
  it('on 2 cores, a prefill on p0 slows d0’s decode steps it overlaps, and they slow it', () => {
    const { run, stats } = simulate(onHost(2), { requests, loop: 'open', seed: 1 });
    const [a, b] = run.records;
    // A: prefill on p0 alone, 0 → 0.020 (transfers instant): first token 0.020. d0's first decode step
    // (B = 1: 6 ms) from 0.020; B arrives at 0.025 and its prefill (20 ms alone) starts on p0: d0 has 1 ms
    // left, now at rate 2 ÷ (2 + 2) = 0.5 → ends 0.027 (A's 2nd token); p0 did 1 ms. d0's next step (6 ms)
    // at rate 0.5 → 0.039, A's 3rd and last token; p0 did 6 more: 13 ms left, alone → 0.052.
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.007, 0.012]);
    expect(a?.e2eSeconds).toBeCloseTo(0.039, 9);
    // B: first token at 0.052 (TTFT 0.027); 1 out: done on admission, flushed by the idle pass 1 ms later.
    expect(b?.ttftSeconds).toBeCloseTo(0.027, 9);
    expect(b?.e2eSeconds).toBeCloseTo(0.028, 9);
    // Stretched: d0's two steps (+1, +6 ms) and B's prefill (+7 ms).
    expect(stats.hostCpu?.numStretched).toBe(3);
    expect(stats.hostCpu?.addedSeconds).toBeCloseTo(0.014, 9);
  });

  it('on cores enough for every step, each step takes its own time', () => {
    const { run, stats } = simulate(onHost(4), { requests, loop: 'open', seed: 1 });
    const [a, b] = run.records;
    // A: 0.020, decode steps 0.026 and 0.032. B: prefill 0.025 → 0.045 (TTFT 0.020), flushed at 0.046.
    expect(a?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.006, 0.006]);
    expect(b?.ttftSeconds).toBeCloseTo(0.02, 9);
    expect(b?.e2eSeconds).toBeCloseTo(0.021, 9);
    expect(stats.hostCpu?.numStretched).toBe(0);
  });

  it('under emulation the kernels share the cores, the pacing to the target does not', () => {
    const { run, stats } = simulate(onHost(2, true), { requests, loop: 'open', seed: 1 });
    const [a, b] = run.records;
    // Targets: prefill of 10 tokens 3 × 0.020 = 0.060, a decode step of 1 3 × 0.006 = 0.018.
    // A: p0's kernel 0 → 0.020 alone, paced to 0.060: first token 0.060. B (0.025) waits for p0's slot.
    // At 0.060 d0's first decode kernel (6 ms) and B's prefill kernel (20 ms) start: rate 0.5 each. d0's
    // kernel ends 0.072 (p0 did 6 ms); its step is paced to 0.078, A's 2nd token. p0 alone 0.072 → 0.078
    // (6 more: 8 left). d0's second kernel from 0.078 with p0: d0's 6 ms end 0.090 (p0 did 6: 2 left, alone
    // → 0.092); d0's step paced to 0.078 + 0.018 = 0.096, A's 3rd token. B's kernel ends 0.092, paced to
    // 0.060 + 0.060 = 0.120: its first token (TTFT 0.095), flushed by the idle pass at 0.121.
    expect(a?.ttftSeconds).toBeCloseTo(0.06, 9);
    expect(a?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.018, 0.018]);
    expect(b?.ttftSeconds).toBeCloseTo(0.095, 9);
    expect(b?.e2eSeconds).toBeCloseTo(0.096, 9);
    // Stretched: d0's kernels (+6, +6 ms) and B's prefill kernel (32 ms for 20: +12).
    expect(stats.hostCpu?.numStretched).toBe(3);
    expect(stats.hostCpu?.addedSeconds).toBeCloseTo(0.024, 9);
  });

  it('the design’s host.scheduling reaches the host: p0 steps of 2 threads, d0 steps of 1 tell the two apart', () => {
    const design = (scheduling: 'per-core' | 'shared'): SimCluster => {
      const c = onHost(2);
      return {
        ...c,
        workers: c.workers.map((w) => ({ ...w, hostThreads: w.role === 'prefill' ? 2 : 1 })),
        host: { ...(c.host as NonNullable<SimCluster['host']>), scheduling },
      };
    };
    // Per core: B's prefill (2 threads) holds both cores, so d0's 1-thread step shares one with it: both at
    // 1 ÷ 2, the case above: A's gaps 7 and 12 ms, B's first token at 0.052 (TTFT 0.027), 14 ms added.
    const perCore = simulate(design('per-core'), { requests, loop: 'open', seed: 1 });
    // Shared: demand 2 + 1 = 3 threads on 2 cores, every one at 2 ÷ 3. d0's first step (6 ms from 0.020)
    // has 1 ms left at 0.025 → 1.5 ms → ends 0.0265 (p0 did 1.5 × 2/3 = 1 ms); its second step, 6 ms at
    // 2/3 → 9 ms → ends 0.0355 (A's last token; p0 did 6 more: 13 left, alone → 0.0485). A's gaps 6.5 and
    // 9 ms; B's TTFT 0.0485 − 0.025 = 0.0235, flushed 1 ms later. Added: 0.5 + 3 (d0) + 3.5 (B's 23.5 ms
    // for 20) = 7 ms.
    const shared = simulate(design('shared'), { requests, loop: 'open', seed: 1 });
    const gaps = (r: (typeof perCore)['run']['records'][number] | undefined) =>
      r?.interTokenSeconds.map((g) => Number(g.toFixed(9)));
    expect(gaps(perCore.run.records[0])).toEqual([0.007, 0.012]);
    expect(perCore.run.records[1]?.ttftSeconds).toBeCloseTo(0.027, 9);
    expect(perCore.stats.hostCpu?.addedSeconds).toBeCloseTo(0.014, 9);
    expect(gaps(shared.run.records[0])).toEqual([0.0065, 0.009]);
    expect(shared.run.records[0]?.e2eSeconds).toBeCloseTo(0.0355, 9);
    expect(shared.run.records[1]?.ttftSeconds).toBeCloseTo(0.0235, 9);
    expect(shared.run.records[1]?.e2eSeconds).toBeCloseTo(0.0245, 9);
    expect(shared.stats.hostCpu?.numStretched).toBe(3);
    expect(shared.stats.hostCpu?.addedSeconds).toBeCloseTo(0.007, 9);
  });
});
