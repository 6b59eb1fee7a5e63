// Three requests through the twin with every time derived by hand (the derivation is the comments). The
// cluster: one prefill worker p0, one decode worker d0, prefix-aware routing (always remote prefill), a
// dram pool, no host latencies. Steps: prefill of t new tokens 0.010 + 0.001·t s; a decode step of B
// sequences 0.005 + 0.001·B s. Each worker's KV link: 1 MB/s (1,000 B per token → 1 ms per token on the
// wire), 1 ms latency, one transfer at a time (FIFO) per direction. Blocks of 4 tokens.
import { describe, expect, it } from 'vitest';
import { HAND_CLUSTER, HAND_REQUESTS } from '../testing/hand-cluster.js';
import { simulate } from './simulate.js';

describe('three scripted requests', () => {
  const { run } = simulate(HAND_CLUSTER, { requests: HAND_REQUESTS, loop: 'open', seed: 1 });
  const [r1, r2, r3] = run.records;

  it('R1: prefill 20 ms, handoff and pool offer back to back on p0’s link, two decode steps', () => {
    // t=0 R1 routed (pool empty, index empty): prefill on p0 of all 10 tokens, 0.010 + 0.010 = 0.020 s.
    // 0.020: handoff of 10 tokens (10 kB: 10 ms on p0 out / d0 in) → 0.030 on the wire, done 0.031; the pool
    // offer of its 2 full blocks (8 kB) waits for p0's out link until 0.030 → 0.038, done 0.039. The reply
    // (and R1's first token) at 0.039: TTFT 0.039.
    expect(r1?.ttftSeconds).toBeCloseTo(0.039, 9);
    // Decode at 0.039: the handoff is there; one decode step of 1 sequence (6 ms) → 0.045 (2nd token),
    // another → 0.051 (3rd, the last): e2e 0.051, TPOT (0.051 − 0.039) / 2 = 0.006.
    expect(r1?.e2eSeconds).toBeCloseTo(0.051, 9);
    expect(r1?.tpotSeconds).toBeCloseTo(0.006, 9);
    expect(r1?.interTokenSeconds.map((g) => Number(g.toFixed(9)))).toEqual([0.006, 0.006]);
    expect(r1?.routing).toMatchObject({ reason: 'prefix-miss', numCachedTokens: 0, prefillWorkerId: 'p0' });
  });

  it('R2: queued behind R1 on p0, hands off only what d0 lacks', () => {
    // Routed at t=0 right after R1: the router's index already says d0 holds b1, b2 (recorded at R1's
    // routing): prefix-hit, handoff skips 8 tokens. p0 is busy until R1's reply at 0.039; R2's prefill
    // (10 tokens: the pool held nothing at lookup) 0.039 → 0.059. Handoff of 2 tokens: 0.059 → 0.061,
    // done 0.062; pool offer 8 kB on p0's out link from 0.061 → 0.069, done 0.070 (both blocks already
    // there). Reply and first token at 0.070.
    expect(r2?.ttftSeconds).toBeCloseTo(0.07, 9);
    // Decode at 0.070: 8 tokens from d0's own cache (R1 finished at 0.051 and kept b1, b2, b3), 2 handed
    // off; one decode step (6 ms) → 0.076, the 2nd and last token.
    expect(r2?.e2eSeconds).toBeCloseTo(0.076, 9);
    expect(r2?.routing).toMatchObject({ reason: 'prefix-hit', numCachedTokens: 0, decodeWorkerId: 'd0' });
  });

  it('R3: fetches its prefix from the pool, prefills 2 tokens, and ends with the prefill’s token', () => {
    // t=1: the pool holds b1, b2 (R1's offer, stored at 0.039): leased and fetched by p0, 8 kB on p0's in
    // link → 1.008, done 1.009. Prefill of the 2 uncached tokens after 8: 0.010 + 0.002 → 1.021. Handoff
    // of 2 tokens (d0 holds b1, b2) → 1.023, done 1.024; nothing new to offer. First token at 1.024:
    // TTFT 0.024.
    expect(r3?.ttftSeconds).toBeCloseTo(0.024, 9);
    // max_tokens 1: d0 admits it and it finishes with that token; the decode loop's idle pass (1 ms)
    // flushes its final chunk at 1.025.
    expect(r3?.e2eSeconds).toBeCloseTo(0.025, 9);
    expect(r3?.tpotSeconds).toBeNull();
    expect(r3?.routing).toMatchObject({ numCachedTokens: 8, cacheSource: 'pool' });
  });

  it('the run ends with the last request, and counts 8 of 30 prompt tokens as reused', () => {
    expect(run.durationSeconds).toBeCloseTo(1.025, 9);
    expect(run.records.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(run.records.reduce((a, r) => a + (r.numCachedTokens ?? 0), 0)).toBe(8);
  });
});
